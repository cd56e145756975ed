#!/usr/bin/env bash
# Quick start: install everything, then run redactview on the sample releases.
# With a display the app opens on them; without one, the headless scan runs
# and writes a report whose path is printed.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/bootstrap.sh"

RV="$VENV/bin/redactview"
OUT="${REDACTVIEW_OUT:-$ROOT/out}"
mkdir -p "$OUT"
CASE="$OUT/sample.rvcase"
SAMPLES=("$ROOT/sample_docs/release_a.pdf" "$ROOT/sample_docs/release_b.pdf"
         "$ROOT/sample_docs/memo_born_digital.pdf")

if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ "${CI:-}" != "true" ]; then
  exec "$RV" "${SAMPLES[@]}"
fi

"$RV" scan "${SAMPLES[@]}" --case "$CASE" --stats >"$OUT/catalog.json"
"$RV" report "$CASE" --format html -o "$OUT/report.html"
"$RV" report "$CASE" --format pdf -o "$OUT/report.pdf"
echo "Catalog: $OUT/catalog.json"
echo "Report:  $OUT/report.html"
echo "Report:  $OUT/report.pdf"
