"""Drives the real `pwnedpasswords` client library (PyPI, 3.1.0) against a leakscope server.

The library has https://api.pwnedpasswords.com/ written into it; the only change made here is
the base URL (requests to it are sent to the server under test). It splits `/range` bodies on
CRLF, so a trailing line break would make it fail, and it calls the non-range
`/pwnedpassword/{hash}` endpoint when asked not to be anonymous.

Usage: pwnedpasswords_client.py BASE_URL
Exit 0 on success, 77 when pwnedpasswords is not installed, 1 on a failed check.
"""
import sys
import urllib.request

try:
    import pwnedpasswords
except ImportError:
    print("pwnedpasswords is not installed (pip install pwnedpasswords==3.1.0)")
    sys.exit(77)

base = sys.argv[1]
_urlopen = urllib.request.urlopen
OFFICIAL = "https://api.pwnedpasswords.com/"


def rebased_urlopen(request, *args, **kwargs):
    if request.full_url.startswith(OFFICIAL):
        request.full_url = base + "/" + request.full_url[len(OFFICIAL):]
    return _urlopen(request, *args, **kwargs)


urllib.request.urlopen = rebased_urlopen


def check(cond, what):
    if not cond:
        print("FAILED: " + what)
        sys.exit(1)


check(pwnedpasswords.check("password") == 3, "k-anonymous check")
check(pwnedpasswords.check("password", anonymous=False) == 3, "non-range /pwnedpassword")
check(pwnedpasswords.check("not-in-any-leak-8c1f") == 0, "unknown password (range)")
check(pwnedpasswords.check("not-in-any-leak-8c1f", anonymous=False) == 0, "unknown password (search)")
entries = pwnedpasswords.Password("password").range()
check(entries.get("1E4C9B93F3F0682250B6CF8331B7EE68FD8") == 3, "range entries: %d" % len(entries))
print("pwnedpasswords: all checks passed")
