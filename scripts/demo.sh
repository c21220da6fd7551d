#!/usr/bin/env bash
# Installs what fiscpos needs, builds it, and runs the demo (fiscpos-demo) against the built-in
# simulator.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
xsd_dir=../shared/ref/mydata-xsd/v2.0.1
if [ -d "$xsd_dir" ]; then
    exec "${FISCPOS_BUILD_DIR:-build}/demo/fiscpos-demo" --xsd-dir "$xsd_dir"
fi
exec "${FISCPOS_BUILD_DIR:-build}/demo/fiscpos-demo"
