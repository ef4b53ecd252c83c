"""Drives the real `hibpwned` client library (PyPI, 1.3.9) against a leakscope server.

hibpwned has the HIBP base URLs written into each call; the only change made here is the base
URL: requests to https://haveibeenpwned.com and https://api.pwnedpasswords.com are sent to the
server under test instead. Everything else is the library unchanged.

Usage: hibpwned_client.py BASE_URL API_KEY
Exit 0 on success, 77 when hibpwned is not installed, 1 on a failed check.
"""
import sys

try:
    import hibpwned
    import requests
except ImportError:
    print("hibpwned is not installed (pip install hibpwned==1.3.9)")
    sys.exit(77)

base, key = sys.argv[1], sys.argv[2]
_get = requests.get


def rebased_get(url, *args, **kwargs):
    for official, ours in (
        ("https://haveibeenpwned.com/", base + "/"),
        ("https://api.pwnedpasswords.com/", base + "/"),
    ):
        if url.startswith(official):
            url = ours + url[len(official):]
    return _get(url, *args, **kwargs)


requests.get = rebased_get


def check(cond, what):
    if not cond:
        print("FAILED: " + what)
        sys.exit(1)


alice = hibpwned.Pwned("alice@example.com", "leakscope-client-test", key)
everything = alice.search_all_breaches(truncate=False, unverified=True)
check(sorted(b["Name"] for b in everything) == ["forum", "shop"], "all breaches of alice: %r" % everything)
# Without includeUnverified the API returns verified and unverified breaches (HIBP v3 default).
default = alice.search_all_breaches()
check(sorted(b["Name"] for b in default) == ["forum", "shop"], "default: %r" % default)
check("PwnCount" in default[0], "full Breach model")
names = alice.search_all_breaches(truncate=True, unverified=True)
check(sorted(b["Name"] for b in names) == ["forum", "shop"] and "PwnCount" not in names[0], "truncated: %r" % names)
nobody = hibpwned.Pwned("nobody@example.com", "leakscope-client-test", key)
check(nobody.search_all_breaches() == 404, "unknown account is not pwned")
check(len(alice.all_breaches()) == 3, "catalogue")
check([b["Name"] for b in alice.all_breaches(domain="shop.example")] == ["shop"], "catalogue by domain")
check(alice.single_breach("forum")[0]["Title"] == "forum title", "single breach")
check("Phone numbers" in alice.data_classes(), "data classes")
check(alice.search_pastes() == 404, "no pastes")
check(alice.search_password("password") == "3", "password count: %r" % alice.search_password("password"))
check(alice.search_password("not-in-any-leak-8c1f") == "0", "unknown password")
check("1E4C9B93F3F0682250B6CF8331B7EE68FD8:3" in alice.search_hashes("5BAA6").splitlines(), "hash range")
bad = hibpwned.Pwned("alice@example.com", "leakscope-client-test", "0" * 32)
check(bad.search_all_breaches() == 401, "a bad key is refused")
print("hibpwned: all checks passed")
