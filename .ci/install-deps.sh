#!/usr/bin/env bash
# Installs the system packages the test suite needs (Debian). Idempotent.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
# PostgreSQL server binaries: verify/corpus tests start a throwaway cluster themselves.
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
# The real-data checker (crates/leakscope-cli/tests/realdata.rs runs ../shared/realdata/check.py).
command -v python3 >/dev/null 2>&1 || need+=(python3)
if [ ${#need[@]} -gt 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
# A real HIBP client library, run against `leakscope serve` by the server tests.
python3 -c "import pyhibp" >/dev/null 2>&1 || pip install -q pyhibp==4.2.0
echo "deps ok: chromium=$(command -v chromium) initdb=$(ls /usr/lib/postgresql/*/bin/initdb)"
