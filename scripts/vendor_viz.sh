#!/bin/sh
# Refresh the vendored Graphviz-in-WebAssembly (@viz-js/viz) that the lab page inlines.
#
# Usage: scripts/vendor_viz.sh [VERSION]   (default: the version pinned in neurograph/live/vendor/VERSION)
# It downloads the package from the npm registry with `npm pack`, copies its standalone build
# (dist/viz-global.js: one classic script that embeds the wasm and defines the global `Viz`),
# and writes its version and sha256 next to it; tests/live/test_vendor.py checks that hash.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
vendor="$here/neurograph/live/vendor"
version=${1:-$(cat "$vendor/VERSION")}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "@viz-js/viz@$version" >/dev/null && tar xzf viz-js-viz-"$version".tgz)
cp "$work/package/dist/viz-global.js" "$vendor/viz-global.js"
printf '%s\n' "$version" > "$vendor/VERSION"
(cd "$vendor" && sha256sum viz-global.js > SHA256SUMS)
echo "vendored @viz-js/viz $version: $(cat "$vendor/SHA256SUMS")"
