#!/usr/bin/env bash
# Renders the hicolor PNG icons from the SVG sources with rsvg-convert
# (Debian package librsvg2-bin), so every committed PNG has a known origin:
#   16 px       from small/qidlab-16.svg (strokes on the pixel grid)
#   24, 32 px   from small/qidlab-32.svg (fewer, bolder strokes)
#   48-512 px   from io.github.qidlab.QiDLab.svg (also installed as scalable,
#               and copied to resources/icons/qidlab.svg, the window icon)
#   packaging/icons/render-pngs.sh           rewrite the PNGs
#   packaging/icons/render-pngs.sh --check   fail if a PNG differs from its SVG
set -euo pipefail
cd "$(dirname "$0")"
command -v rsvg-convert >/dev/null || { echo "render-pngs: needs rsvg-convert (apt-get install librsvg2-bin)" >&2; exit 2; }
check=0
[ "${1:-}" = "--check" ] && check=1
id=io.github.qidlab.QiDLab
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
bad=0
for s in 16 24 32 48 64 128 256 512; do
  if [ "$s" -le 16 ]; then src=small/qidlab-16.svg
  elif [ "$s" -le 32 ]; then src=small/qidlab-32.svg
  else src=$id.svg; fi
  rsvg-convert --width="$s" --height="$s" "$src" --output="$tmp/$id-$s.png"
  if [ "$check" = 1 ]; then
    cmp -s "$tmp/$id-$s.png" "$id-$s.png" || { echo "render-pngs: $id-$s.png is not $src rendered at $s px" >&2; bad=1; }
  else
    cp "$tmp/$id-$s.png" "$id-$s.png"
  fi
done
if [ "$check" = 1 ]; then
  cmp -s $id.svg ../../resources/icons/qidlab.svg ||
    { echo "render-pngs: resources/icons/qidlab.svg (the window icon) differs from $id.svg" >&2; bad=1; }
else
  cp $id.svg ../../resources/icons/qidlab.svg
fi
[ "$bad" = 0 ] || { echo "render-pngs: run packaging/icons/render-pngs.sh and commit the PNGs" >&2; exit 1; }
