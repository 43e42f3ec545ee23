#!/usr/bin/env bash
# Generates qidlab-cli.1 from the program's own --help output (help2man), with
# one section per subcommand, so the man page never drifts from the CLI.
#   packaging/gen-manpage.sh BUILT_QIDLAB_CLI OUT.1
set -euo pipefail
bin="$1"; out="$2"
inc="$(mktemp)"; trap 'rm -f "$inc"' EXIT
subs=$("$bin" --help | awk '/^Subcommands:/{on=1;next} on && /^  [a-z]/{print $1}')
{
  echo "[DESCRIPTION]"
  echo "QiD Lab measures and models quantization-induced degradation (QiD, or"
  echo "\\(*DqLoss): the rise in cross-entropy loss when an LLM checkpoint is quantized"
  echo "to low bit width. qidlab-cli is the scriptable twin of the qidlab GUI."
  echo "[SUBCOMMANDS]"
  for s in $subs; do
    echo ".SS $s"
    echo ".nf"
    "$bin" "$s" --help 2>&1 | sed -e 's/\\/\\e/g' -e 's/^\./\\\&./'
    echo ".fi"
  done
  echo "[SEE ALSO]"
  echo "qidlab(1). Run 'qidlab-cli SUBCOMMAND --help' for the same text."
} > "$inc"
help2man --no-info --no-discard-stderr --section=1 \
  --name="measure and model quantization-induced degradation of LLMs" \
  --include="$inc" --output="$out" "$bin"
