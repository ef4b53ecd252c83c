#!/usr/bin/env bash
# Installs the system packages the test suite needs (Debian). Idempotent.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
# The web app's browser tests drive Chromium through WebDriver (crates/leakscope-cli/tests/web_browser.rs).
command -v chromedriver >/dev/null 2>&1 || need+=(chromium-driver)
# CJK glyphs for the screenshots of pages that show Chinese claims (1.6 MB).
fc-list :lang=zh 2>/dev/null | grep -q . || need+=(fonts-wqy-microhei)
# PostgreSQL server binaries: verify/corpus tests start a throwaway cluster themselves.
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
# Node.js and npm for the npm `hibp` client test of `leakscope serve` (hibp 15 wants node >= 20).
command -v node >/dev/null 2>&1 || need+=(nodejs)
command -v npm >/dev/null 2>&1 || need+=(npm)
# The real-data checker (crates/leakscope-cli/tests/realdata.rs runs ../shared/realdata/check.py).
command -v python3 >/dev/null 2>&1 || need+=(python3)
# Real servers the exposure probes are tested against (started by the tests on loopback, never as
# system services): Redis, MariaDB with an empty root password, nginx with autoindex.
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
command -v mariadbd >/dev/null 2>&1 || need+=(mariadb-server)
command -v nginx >/dev/null 2>&1 || need+=(nginx)
# A JRE for the Spark tests of the Python package (python/tests/test_spark.py, local[2]).
command -v java >/dev/null 2>&1 || need+=(default-jre-headless)
if [ ${#need[@]} -gt 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    # Packages with daemons (redis, mariadb, nginx) must not start system services: the tests
    # start their own on free loopback ports. A temporary policy-rc.d says so to invoke-rc.d.
    own_policy=""
    if [ ! -e /usr/sbin/policy-rc.d ]; then
        printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && own_policy=1
    fi
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
    if [ -n "$own_policy" ]; then rm -f /usr/sbin/policy-rc.d; fi
fi
# Real HIBP client libraries, run unchanged (base URL aside) against `leakscope serve` by the
# server tests (crates/leakscope-server/tests/client_lib.rs).
python3 -c "import pyhibp" >/dev/null 2>&1 || pip install -q pyhibp==4.2.0
python3 -c "import hibpwned" >/dev/null 2>&1 || pip install -q hibpwned==1.3.9
python3 -c "import pwnedpasswords" >/dev/null 2>&1 || pip install -q pwnedpasswords==3.1.0
[ -f "$(npm root -g)/hibp/package.json" ] || npm install -g --silent hibp@15.2.1
# The reference STIX 2.1 validator and library, and PyMISP: the case tests check leakscope's
# STIX bundles (0 errors, 0 warnings) and MISP events (loaded and compared back) with them.
python3 -c "import stix2validator, stix2, pymisp" >/dev/null 2>&1 \
    || pip install -q stix2-validator==3.3.2 stix2==3.0.2 pymisp==2.5.34.4
# The Python package: maturin builds the wheel (pip install ./python); real PySpark and PyArrow
# run its Spark tests; pytest runs them.
python3 -c "import maturin" >/dev/null 2>&1 || command -v maturin >/dev/null 2>&1 \
    || pip install -q maturin==1.16.0
python3 -c "import pyspark, pyarrow, pandas, pytest" >/dev/null 2>&1 \
    || pip install -q pyspark==4.3.0 pyarrow==26.0.1 pandas==3.1.1 pytest==9.2.0
echo "deps ok: chromium=$(command -v chromium) chromedriver=$(command -v chromedriver) initdb=$(ls /usr/lib/postgresql/*/bin/initdb) node=$(node --version) hibp=$(npm root -g)/hibp redis=$(command -v redis-server) mariadbd=$(command -v mariadbd) nginx=$(command -v nginx) java=$(command -v java)"
