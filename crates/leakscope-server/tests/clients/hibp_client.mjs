// Drives the real `hibp` client library (npm, 15.2) against a leakscope server: the library's
// own `baseUrl` option is the only change.
//
// Usage: node hibp_client.mjs BASE_URL API_KEY DOMAIN_KEY HIBP_ENTRY_FILE
// Exit 0 on success, 1 on a failed check.
import { pathToFileURL } from 'node:url';

const [base, key, domainKey, entry] = process.argv.slice(2);
const hibp = await import(pathToFileURL(entry).href);
const api = { apiKey: key, baseUrl: `${base}/api/v3`, userAgent: 'leakscope-client-test' };
const pw = { baseUrl: base, userAgent: 'leakscope-client-test' };

function check(cond, what) {
  if (!cond) {
    console.log(`FAILED: ${what}`);
    process.exit(1);
  }
}

const full = await hibp.breachedAccount('alice@example.com', { ...api, truncate: false });
check(JSON.stringify(full.map((b) => b.Name).sort()) === '["forum","shop"]', `account breaches: ${JSON.stringify(full)}`);
check(full.every((b) => 'PwnCount' in b && 'DataClasses' in b), 'full Breach model');
const verified = await hibp.breachedAccount('alice@example.com', { ...api, includeUnverified: false });
check(JSON.stringify(verified) === '[{"Name":"shop"}]', `verified, truncated: ${JSON.stringify(verified)}`);
check((await hibp.breachedAccount('nobody@example.com', api)) === null, 'unknown account');
check((await hibp.breaches(api)).length === 3, 'catalogue');
check((await hibp.breaches({ ...api, domain: 'shop.example' }))[0].Name === 'shop', 'catalogue by domain');
check((await hibp.breach('forum', api)).Title === 'forum title', 'single breach');
check((await hibp.breach('nope', api)) === null, 'unknown breach');
check((await hibp.dataClasses(api)).includes('Phone numbers'), 'data classes');
check((await hibp.latestBreach(api)) !== null, 'latest breach');
check((await hibp.pwnedPassword('password', pw)) === 3, 'password count');
check((await hibp.pwnedPassword('not-in-any-leak-8c1f', pw)) === 0, 'unknown password');
const padded = await hibp.pwnedPasswordRange('5BAA6', { ...pw, addPadding: true });
check(Object.keys(padded).length >= 800 && padded['1E4C9B93F3F0682250B6CF8331B7EE68FD8'] === 3, 'padded range');
const status = await hibp.subscriptionStatus(api);
check(status.Rpm === 100000 && typeof status.SubscriptionName === 'string', `subscription: ${JSON.stringify(status)}`);
const domains = await hibp.subscribedDomains({ ...api, apiKey: domainKey });
check(domains.length === 1 && domains[0].DomainName === 'example.com' && domains[0].PwnCount === 601, `subscribed domains: ${JSON.stringify(domains)}`);
const accounts = await hibp.breachedDomain('example.com', { ...api, apiKey: domainKey });
check(Object.keys(accounts).length === 601, 'breached domain');
const found = await hibp.search('alice@example.com', api);
check(found.breaches.length === 2, `search: ${JSON.stringify(found)}`);
try {
  await hibp.breachedAccount('alice@example.com', { ...api, apiKey: '0'.repeat(32) });
  check(false, 'a bad key must be refused');
} catch (e) {
  check(/invalid hibp-api-key/.test(e.message), `401 surfaced: ${e.message}`);
}
console.log('hibp: all checks passed');
