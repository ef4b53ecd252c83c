#!/bin/sh
# Installs Debian's chromium when it is missing; the HTML report test (crates/leakscope-profile/
# tests/chromium.rs) renders the report in it and fails under CI=1 when it is absent.
set -eu
if [ -x /usr/bin/chromium ]; then
    echo "chromium present: $(/usr/bin/chromium --version 2>/dev/null || echo unknown version)"
    exit 0
fi
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium fonts-dejavu-core
/usr/bin/chromium --version || true
