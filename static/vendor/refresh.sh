#!/usr/bin/env bash
# Refresh the vendored browser builds of Vue, Vant, Element Plus, jsQR and noble-ed25519 (and axe-core, for the browser tests'
# accessibility checks only) from their npm packages (pinned versions).
# Usage: bash static/vendor/refresh.sh   (needs npm; re-runnable; writes MANIFEST.md)
set -euo pipefail

VUE_VERSION=3.5.45
VANT_VERSION=4.10.2
AXE_VERSION=4.14.1
ELEMENT_PLUS_VERSION=2.14.8
# The gate app's fallbacks, loaded only where the browser lacks its own: a QR decoder (no
# BarcodeDetector, e.g. desktop Chromium) and Ed25519 (no WebCrypto Ed25519).
JSQR_VERSION=1.4.0
NOBLE_ED25519_VERSION=3.2.0
# The officers' console's dashboard charts (line, bar and pie: the "common" build), loaded on demand.
ECHARTS_VERSION=6.1.0

here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

fetch() {  # fetch <package> <version> <dest> <file>...
  local pkg=$1 version=$2 dest=$3; shift 3
  # npm names a scoped package's tarball without the @ and the slash: @noble/x → noble-x-1.0.tgz
  (cd "$work" && npm pack --silent "$pkg@$version" >/dev/null && mkdir -p "$pkg" \
    && tar -xzf "$(echo "${pkg#@}" | tr / -)-$version.tgz" -C "$pkg")
  rm -rf "${here:?}/$dest" && mkdir -p "$here/$dest"
  for file in "$@"; do cp "$work/$pkg/package/$file" "$here/$dest/$(basename "$file")"; done
}

fetch vue "$VUE_VERSION" vue dist/vue.global.prod.js LICENSE
fetch vant "$VANT_VERSION" vant lib/vant.min.js lib/index.css LICENSE
fetch axe-core "$AXE_VERSION" axe-core axe.min.js LICENSE
fetch element-plus "$ELEMENT_PLUS_VERSION" element-plus dist/index.full.min.js dist/index.css \
  dist/locale/zh-cn.min.js LICENSE
fetch jsqr "$JSQR_VERSION" console/jsqr dist/jsQR.js LICENSE
fetch @noble/ed25519 "$NOBLE_ED25519_VERSION" console/noble-ed25519 index.js LICENSE
fetch echarts "$ECHARTS_VERSION" console/echarts dist/echarts.common.min.js LICENSE

{
  echo "# Vendored front-end libraries"
  echo
  echo "Written by \`refresh.sh\` (npm packages, pinned versions; no CDN at run time)."
  echo
  echo "| library | version | file | bytes | sha256 |"
  echo "| --- | --- | --- | --- | --- |"
  for row in "vue $VUE_VERSION vue.global.prod.js" "vant $VANT_VERSION vant.min.js" \
             "vant $VANT_VERSION index.css" "axe-core $AXE_VERSION axe.min.js" \
             "element-plus $ELEMENT_PLUS_VERSION index.full.min.js" \
             "element-plus $ELEMENT_PLUS_VERSION index.css" \
             "element-plus $ELEMENT_PLUS_VERSION zh-cn.min.js" \
             "jsqr $JSQR_VERSION jsQR.js console/jsqr" \
             "@noble/ed25519 $NOBLE_ED25519_VERSION index.js console/noble-ed25519" \
             "echarts $ECHARTS_VERSION echarts.common.min.js console/echarts"; do
    set -- $row
    dir=${4:-$1}
    path="$here/$dir/$3"
    echo "| $1 | $2 | \`$dir/$3\` | $(wc -c <"$path") | \`$(sha256sum "$path" | cut -c1-16)…\` |"
  done
  echo
  echo "axe-core is for the browser tests' accessibility checks only; pages never load it."
  echo "jsqr (Apache-2.0) and @noble/ed25519 (MIT) are the gate app's fallbacks, loaded on demand"
  echo "only where the browser has no BarcodeDetector or no WebCrypto Ed25519."
  echo "echarts (Apache-2.0) draws the officers' console's dashboard; only the dashboard page loads it."
  echo "Swagger UI (\`swagger-ui/\`) is vendored separately for the API docs page."
} >"$here/MANIFEST.md"
echo "vendored vue@$VUE_VERSION, vant@$VANT_VERSION, element-plus@$ELEMENT_PLUS_VERSION, axe-core@$AXE_VERSION, jsqr@$JSQR_VERSION, @noble/ed25519@$NOBLE_ED25519_VERSION; see static/vendor/MANIFEST.md"
