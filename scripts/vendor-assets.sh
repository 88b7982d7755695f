#!/usr/bin/env bash
# Re-create static/vendor/ from the npm registry.
#
# The portal loads no front-end code from a CDN: every browser library is vendored
# here, byte-for-byte as published on npm. This script is the only way those files
# are meant to change. To upgrade a library, edit its line in PACKAGES below (version
# and the sha512 integrity printed by `npm view <name>@<version> dist.integrity`),
# run the script, update the table in static/vendor/README.md and check the pages
# that use the library.
#
# Usage: scripts/vendor-assets.sh        (needs node + npm; nothing else)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEST="$ROOT/static/vendor"

# name version sha512-integrity (as in the registry's dist.integrity)
PACKAGES=(
  "bootstrap 5.3.8 sha512-HP1SZDqaLDPwsNiqRqi5NcP0SSXciX2s9E+RyqJIIqGo+vJeN5AJVM98CXmW/Wux0nQ5L7jeWUdplCEf0Ee+tg=="
  "htmx.org 2.0.11 sha512-Thx/WtpeOQqSrqBCw/A1cwGJGg4UrVa3+sW0GmrM3p4gJgO89ecH4qtbnyzDDWFvBTqjnIMCgELTNt636dtamA=="
  "leaflet 1.9.4 sha512-nxS1ynzJOmOlHp+iL3FyWqK89GtNL8U8rvlMOsQdTTssxZwCXh8N2NB3GDQOL+YR3XnWyZAxwQixURb+FA74PA=="
  "leaflet.markercluster 1.5.3 sha512-vPTw/Bndq7eQHjLBVlWpnGeLa3t+3zGiuM7fJwCkiMFq+nmRuG3RI3f7f4N4TDX7T4NpbAXpR2+NTRSEGfCSeA=="
  "tom-select 2.6.2 sha512-eiXIkk82XzzUTOVQDFpy+ZGejuqdTvMukyUyeZBQaKnqW42UoTiTZnrod/eX0rkqJEc4rZY9DZ3zdjV07i29wQ=="
  "chart.js 4.6.1 sha512-hJyniucsFmq//EvXYvJ6c6mahPoI3kaxdjVH8awTaJ/fDNWeSqqqArixMJWkWNN6fcYvPU3HneSANFNYtRi61g=="
  "axe-core 4.14.1 sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ=="
)

for tool in npm node tar; do
  command -v "$tool" >/dev/null || { echo "vendor-assets: '$tool' is required" >&2; exit 1; }
done

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# fetch NAME VERSION INTEGRITY -> prints the directory holding the unpacked package/
fetch() {
  local name="$1" version="$2" integrity="$3" tarball actual
  tarball="$(cd "$WORK" && npm pack --silent "$name@$version" 2>/dev/null | tail -n 1)"
  [[ -f "$WORK/$tarball" ]] || { echo "vendor-assets: npm pack $name@$version failed" >&2; exit 1; }
  actual="$(node -e '
    const crypto = require("crypto"), fs = require("fs");
    process.stdout.write("sha512-" + crypto.createHash("sha512")
      .update(fs.readFileSync(process.argv[1])).digest("base64"));
  ' "$WORK/$tarball")"
  if [[ "$actual" != "$integrity" ]]; then
    echo "vendor-assets: integrity mismatch for $name@$version" >&2
    echo "  expected $integrity" >&2
    echo "  got      $actual" >&2
    exit 1
  fi
  mkdir -p "$WORK/$name"
  tar -xzf "$WORK/$tarball" -C "$WORK/$name"
  echo "$WORK/$name/package"
}

# put SRC_FILE DEST_FILE: copy with sane permissions (some tarballs ship 0777 files)
put() {
  install -D -m 0644 "$1" "$2"
}

# 1. Fetch and verify every package before touching static/vendor/, so that a failed
#    download or a checksum mismatch leaves the tree as it was.
declare -A SRC
for entry in "${PACKAGES[@]}"; do
  read -r name version integrity <<<"$entry"
  SRC[$name]="$(fetch "$name" "$version" "$integrity")"
done

# 2. Lay out each library's files in a staging tree.
STAGE="$WORK/vendor"
for entry in "${PACKAGES[@]}"; do
  read -r name version _ <<<"$entry"
  src="${SRC[$name]}"
  case "$name" in
    bootstrap)
      out="$STAGE/bootstrap"
      put "$src/dist/css/bootstrap.min.css" "$out/css/bootstrap.min.css"
      put "$src/dist/css/bootstrap.min.css.map" "$out/css/bootstrap.min.css.map"
      put "$src/dist/js/bootstrap.bundle.min.js" "$out/js/bootstrap.bundle.min.js"
      put "$src/dist/js/bootstrap.bundle.min.js.map" "$out/js/bootstrap.bundle.min.js.map"
      put "$src/LICENSE" "$out/LICENSE"
      ;;
    htmx.org)
      out="$STAGE/htmx"
      put "$src/dist/htmx.min.js" "$out/htmx.min.js"
      put "$src/LICENSE" "$out/LICENSE"
      ;;
    leaflet)
      out="$STAGE/leaflet"
      put "$src/dist/leaflet.css" "$out/leaflet.css"
      put "$src/dist/leaflet.js" "$out/leaflet.js"
      put "$src/dist/leaflet.js.map" "$out/leaflet.js.map"
      for image in "$src"/dist/images/*; do
        put "$image" "$out/images/$(basename "$image")"
      done
      put "$src/LICENSE" "$out/LICENSE"
      ;;
    leaflet.markercluster)
      out="$STAGE/leaflet.markercluster"
      put "$src/dist/leaflet.markercluster.js" "$out/leaflet.markercluster.js"
      put "$src/dist/leaflet.markercluster.js.map" "$out/leaflet.markercluster.js.map"
      put "$src/dist/MarkerCluster.css" "$out/MarkerCluster.css"
      put "$src/dist/MarkerCluster.Default.css" "$out/MarkerCluster.Default.css"
      put "$src/MIT-LICENCE.txt" "$out/LICENSE"
      ;;
    tom-select)
      out="$STAGE/tom-select"
      put "$src/dist/js/tom-select.complete.min.js" "$out/js/tom-select.complete.min.js"
      put "$src/dist/js/tom-select.complete.min.js.map" "$out/js/tom-select.complete.min.js.map"
      put "$src/dist/css/tom-select.bootstrap5.min.css" "$out/css/tom-select.bootstrap5.min.css"
      put "$src/dist/css/tom-select.bootstrap5.min.css.map" "$out/css/tom-select.bootstrap5.min.css.map"
      put "$src/LICENSE" "$out/LICENSE"
      ;;
    chart.js)
      out="$STAGE/chart.js"
      put "$src/dist/chart.umd.min.js" "$out/chart.umd.min.js"
      put "$src/dist/chart.umd.min.js.map" "$out/chart.umd.min.js.map"
      put "$src/LICENSE.md" "$out/LICENSE.md"
      ;;
    axe-core)
      # Loaded only by the browser tests (tests/browser), never by a page.
      out="$STAGE/axe-core"
      put "$src/axe.min.js" "$out/axe.min.js"
      put "$src/LICENSE" "$out/LICENSE"
      put "$src/LICENSE-3RD-PARTY.txt" "$out/LICENSE-3RD-PARTY.txt"
      ;;
    *)
      echo "vendor-assets: no file list for $name" >&2
      exit 1
      ;;
  esac
  echo "vendored $name@$version -> static/vendor/$(basename "$out")"
done

# 3. Each library owns one directory under static/vendor/; it is replaced whole, so
#    files dropped upstream do not linger. README.md beside them is left alone.
mkdir -p "$DEST"
for dir in "$STAGE"/*; do
  rm -rf "${DEST:?}/$(basename "$dir")"
  cp -R "$dir" "$DEST/"
done

# The .map files are kept because the minified files end in a sourceMappingURL
# comment: Django's ManifestStaticFilesStorage (used in production) rewrites those
# references at collectstatic time and fails if the map it points at is missing.
