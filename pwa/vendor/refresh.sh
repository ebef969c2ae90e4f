#!/usr/bin/env bash
# Refresh the vendored front-end libraries from npm: ./pwa/vendor/refresh.sh [idb-version]
set -euo pipefail
cd "$(dirname "$0")"
version="${1:-8}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "idb@$version" >/dev/null && tar xzf idb-*.tgz)
exact=$(node -p "require('$work/package/package.json').version")
cp "$work/package/build/index.js" idb/index.js
cp "$work/package/LICENSE" idb/LICENSE
echo "idb $exact (npm), ISC licence: build/index.js" > idb/VERSION
echo "idb $exact vendored."
