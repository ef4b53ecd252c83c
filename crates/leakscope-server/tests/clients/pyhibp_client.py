"""Drives the real `pyhibp` client library (PyPI) against a leakscope server.

Usage: pyhibp_client.py BASE_URL API_KEY
Exit 0 on success, 77 when pyhibp is not installed, 1 on a failed check.
"""
import sys

try:
    import pyhibp
    from pyhibp import pwnedpasswords as pw
except ImportError:
    print("pyhibp is not installed (pip install pyhibp==4.2.0)")
    sys.exit(77)

base, key = sys.argv[1], sys.argv[2]
# Point the library at our server: it reads these module globals on every call.
pyhibp.HIBP_API_BASE_URI = base + "/api/v3/"
pw.PWNED_PASSWORDS_API_BASE_URI = base + "/"
pyhibp.set_user_agent(ua="leakscope-client-test")
pyhibp.set_api_key(key=key)


def check(cond, what):
    if not cond:
        print("FAILED: " + what)
        sys.exit(1)


full = pyhibp.get_account_breaches(account="alice@example.com", truncate_response=False, include_unverified=True)
check(sorted(b["Name"] for b in full) == ["forum", "shop"], "account breaches (full): %r" % [b["Name"] for b in full])
check(all("DataClasses" in b and "PwnCount" in b for b in full), "full Breach model")
verified = pyhibp.get_account_breaches(account="alice@example.com", truncate_response=True, include_unverified=False)
check(verified == [{"Name": "shop"}], "verified only, truncated: %r" % verified)
check(pyhibp.get_account_breaches(account="nobody@example.com") == [], "unknown account")
check(len(pyhibp.get_all_breaches()) == 3, "catalogue")
check(pyhibp.get_all_breaches(domain="shop.example")[0]["Name"] == "shop", "catalogue by domain")
check(pyhibp.get_single_breach(breach_name="forum")["Title"] == "forum title", "single breach")
check("Phone numbers" in pyhibp.get_data_classes(), "data classes")
check(pw.is_password_breached(password="password") == 3, "password count")
check(pw.is_password_breached(password="password", add_padding=True) == 3, "password count with padding")
check(pw.is_password_breached(password="not-in-any-leak-8c1f") == 0, "unknown password")
check(len(pw.suffix_search(hash_prefix="5BAA6", add_padding=True)) >= 800, "padded range")

pyhibp.set_api_key(key="0" * 32)
try:
    pyhibp.get_account_breaches(account="alice@example.com")
    check(False, "a bad key must be refused")
except RuntimeError as e:
    check("401" in str(e), "401 surfaced by the client: %s" % e)
print("pyhibp: all checks passed")
