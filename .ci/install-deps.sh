#!/usr/bin/env bash
# Installs the system packages the test suite needs (Debian). Idempotent.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
# PostgreSQL server binaries: verify/corpus tests start a throwaway cluster themselves.
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
# Node.js and npm for the npm `hibp` client test of `leakscope serve` (hibp 15 wants node >= 20).
command -v node >/dev/null 2>&1 || need+=(nodejs)
command -v npm >/dev/null 2>&1 || need+=(npm)
# The real-data checker (crates/leakscope-cli/tests/realdata.rs runs ../shared/realdata/check.py).
command -v python3 >/dev/null 2>&1 || need+=(python3)
# A JRE for the Spark tests of the Python package (python/tests/test_spark.py, local[2]).
command -v java >/dev/null 2>&1 || need+=(default-jre-headless)
if [ ${#need[@]} -gt 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
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
echo "deps ok: chromium=$(command -v chromium) initdb=$(ls /usr/lib/postgresql/*/bin/initdb) node=$(node --version) hibp=$(npm root -g)/hibp"
