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

# The main job, headless: detect and catalog every redaction, look for leaks,
# link the two releases of the same records, then write the reports.
echo "Scanning the sample releases (a few minutes on 2 cores)..." >&2
"$RV" scan "${SAMPLES[@]}" --case "$CASE" --stats --quiet >"$OUT/catalog.json"
"$RV" leaks "${SAMPLES[@]}" --case "$CASE" --quiet >"$OUT/leaks.txt"
"$RV" compare "${SAMPLES[0]}" "${SAMPLES[1]}" --case "$CASE" --quiet >"$OUT/compare.json"
"$RV" report "$CASE" --format html -o "$OUT/report.html" --quiet
"$RV" report "$CASE" --format pdf -o "$OUT/report.pdf" --quiet
echo "Case:     $CASE"
echo "Catalog:  $OUT/catalog.json"
echo "Leaks:    $OUT/leaks.txt"
echo "Compare:  $OUT/compare.json"
echo "Report:   $OUT/report.html"
echo "Report:   $OUT/report.pdf"
