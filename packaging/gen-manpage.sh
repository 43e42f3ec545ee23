#!/usr/bin/env bash
# Generates a man page from the program's own --help and --version (help2man),
# so the page never drifts from the program. For qidlab-cli every subcommand's
# --help becomes a section of its own.
#   packaging/gen-manpage.sh BUILT_PROGRAM OUT.1[.gz]
# The program's name (qidlab-cli or qidlab) picks the extra text. qidlab needs
# a Qt platform: run it with QT_QPA_PLATFORM=offscreen.
set -euo pipefail
bin="$1"; out="$2"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
inc="$tmp/include"
case "$(basename "$bin")" in
  qidlab-cli)
    name="measure and model quantization-induced degradation of LLMs"
    subs=$("$bin" --help | awk '/^Subcommands:/{on=1;next} on && /^  [a-z]/{print $1}')
    [ -n "$subs" ] || { echo "gen-manpage: $bin --help lists no subcommands" >&2; exit 1; }
    {
      echo "[DESCRIPTION]"
      echo "QiD Lab measures and models quantization-induced degradation (QiD, or"
      echo "\\(*DqLoss): the rise in cross-entropy loss when an LLM checkpoint is quantized"
      echo "to low bit width. qidlab-cli is the scriptable twin of the qidlab GUI; it needs"
      echo "no display and no Qt."
      echo "[SUBCOMMANDS]"
      for s in $subs; do
        echo ".SS $s"
        echo ".nf"
        # A subcommand may exit non-zero after its help (plot without the GUI build).
        { "$bin" "$s" --help 2>&1 || true; } | sed -e 's/\\/\\e/g' -e 's/^\./\\\&./' -e "s/^'/\\\\\&'/"
        echo ".fi"
      done
      echo "[FILES]"
      echo ".TP"
      echo ".I /usr/share/qidlab/"
      echo "Copies of the bundled law presets (presets/), quantizer settings (quant/),"
      echo "model suites (suites/) and the paper's Table 1 (datasets/). The programs"
      echo "carry their own copies; these are for reading, and for editing into files"
      echo "that options such as \\-\\-law accept."
      echo "[SEE ALSO]"
      echo ".BR qidlab (1)."
      echo "Run 'qidlab-cli SUBCOMMAND \\-\\-help' for the same text as above."
    } > "$inc"
    ;;
  qidlab)
    name="desktop workbench for quantization scaling laws of LLMs"
    {
      echo "[DESCRIPTION]"
      echo "QiD Lab shows the scaling laws of quantization-induced degradation (QiD) as"
      echo "live charts with an extrapolation handle, a measurements table and a law"
      echo "inspector, and exports charts and tables for papers."
      echo "PROJECT is a .qidlab project file, or 'paper' for the bundled project"
      echo "built on Ouyang et al., ACL 2025, Table 1."
      echo "With \\-\\-screenshot it needs no display."
      echo "[FILES]"
      echo ".TP"
      echo ".I ~/.config/QiD Lab/QiD Lab.conf"
      echo "Settings: language, last and recent projects, window layout, export style."
      echo "[SEE ALSO]"
      echo ".BR qidlab-cli (1)."
    } > "$inc"
    ;;
  *) echo "gen-manpage: unknown program $bin" >&2; exit 2 ;;
esac
page="$tmp/page.1"
# The page is named after the program; its --version ("QiD Lab 0.1.0" for
# qidlab) gives only the version.
ver=$("$bin" --version | awk 'NR==1{print $NF}')
help2man --no-info --section=1 --name="$name" --version-string="$ver" \
  --include="$inc" --output="$page" "$bin"
case "$out" in
  *.gz) gzip -9n < "$page" > "$out" ;;
  *) cp "$page" "$out" ;;
esac
