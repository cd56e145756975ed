#!/usr/bin/env bash
# Smoke test of the frozen app, in one command (builds it first if needed):
#
#   scripts/smoke_frozen.sh             # the one-folder build, dist/redactview/
#   scripts/smoke_frozen.sh --onefile   # the one-file build, dist/redactview-onefile
#   scripts/smoke_frozen.sh --rebuild   # build again even if a build exists
#   scripts/smoke_frozen.sh --rebuild --worktree  # build the working tree, not HEAD
#
# Steps: `--version`; `info` of a sample; `scan` of a scanned sample with
# `--jobs 2`, checking that worker processes of the frozen executable really
# ran (multiprocessing "spawn" needs freeze_support in a frozen build) and
# that the catalog is valid JSON with redactions; the GUI started offscreen
# (and under Xvfb with the real xcb platform when xvfb-run exists), closed by
# REDACTVIEW_QUIT_AFTER_MS, reporting its window and the About components.
# Prints a PASS/FAIL table; exits 1 if any step failed.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PY="${REDACTVIEW_SMOKE_PYTHON:-python3}"  # only for checking JSON; any Python 3 will do
onefile=0 rebuild=0 build_args=()
for arg in "$@"; do
  case "$arg" in
    --onefile) onefile=1; build_args+=(--onefile) ;;
    --rebuild) rebuild=1 ;;
    --worktree) build_args+=(--worktree) ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "smoke_frozen: unknown option $arg" >&2; exit 2 ;;
  esac
done

if [ "$onefile" -eq 1 ]; then
  APP="$ROOT/dist/redactview-onefile"
else
  APP="$ROOT/dist/redactview/redactview"
fi
if [ "$rebuild" -eq 1 ] || [ ! -x "$APP" ]; then
  "$ROOT/scripts/build_app.sh" "${build_args[@]}" || { echo "smoke_frozen: build failed" >&2; exit 1; }
fi

WORK="$(mktemp -d "${TMPDIR:-/tmp}/redactview-smoke.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
# Keep the user's settings, recent files and caches out of it.
export XDG_CONFIG_HOME="$WORK/config" XDG_DATA_HOME="$WORK/data" XDG_CACHE_HOME="$WORK/cache"
SAMPLE_SCAN="$ROOT/sample_docs/release_a.pdf"
SAMPLE_TEXT="$ROOT/sample_docs/memo_born_digital.pdf"

results=()
record() {  # name, status, seconds, detail
  results+=("$(printf '%-22s %-5s %6ss  %s' "$1" "$2" "$3" "$4")")
}
run_step() {  # name, function
  local name="$1" fn="$2" start detail status tenths
  start=$(date +%s%N)
  if detail="$($fn 2>&1)"; then status=PASS; else status=FAIL; fi
  tenths=$(( ($(date +%s%N) - start) / 100000000 ))
  record "$name" "$status" "$((tenths / 10)).$((tenths % 10))" "$(printf '%s' "$detail" | tail -n 1)"
  [ "$status" = PASS ] || printf '%s\n' "$detail" | tail -n 20 | sed "s/^/  [$name] /" >&2
}

step_version() {
  local out
  out="$("$APP" --version)" || return 1
  [[ "$out" =~ ^redactview\ [0-9] ]] || { echo "unexpected: $out"; return 1; }
  echo "$out"
}

step_info() {
  "$APP" info --json "$SAMPLE_SCAN" >"$WORK/info.json" || return 1
  "$PY" - "$WORK/info.json" <<'EOF'
import json, sys
doc = json.load(open(sys.argv[1]))["documents"][0]
assert doc["page_count"] > 0 and doc["ocr_pages"], doc
print(f"{doc['page_count']} pages, {len(doc['ocr_pages'])} need OCR")
EOF
}

# Lists the frozen executable's spawn workers ("--multiprocessing-fork") while scan runs.
watch_workers() {
  while :; do
    pgrep -f -- "^$APP --multiprocessing-fork" >>"$WORK/workers.txt" 2>/dev/null
    sleep 0.2
  done
}

step_scan() {
  : >"$WORK/workers.txt"
  watch_workers & local watcher=$!
  "$APP" scan "$SAMPLE_SCAN" --jobs 2 --quiet >"$WORK/scan.json" 2>"$WORK/scan.err"
  local rc=$?
  kill "$watcher" 2>/dev/null; wait "$watcher" 2>/dev/null
  [ "$rc" -eq 0 ] || { cat "$WORK/scan.err"; echo "scan exited $rc"; return 1; }
  local workers
  workers="$(sort -u "$WORK/workers.txt" | wc -l)"
  [ "$workers" -ge 2 ] || { echo "only $workers worker process(es) seen"; return 1; }
  "$PY" - "$WORK/scan.json" "$workers" <<'EOF'
import json, sys
data = json.load(open(sys.argv[1]))
assert data["schema"] == "redactview.catalog/1", data["schema"]
redactions = data["documents"][0]["redactions"]
assert redactions, "no redactions found"
coded = sum(1 for r in redactions if r.get("exemptions"))
print(f"{len(redactions)} redactions ({coded} with codes), {sys.argv[2]} worker processes")
EOF
}

gui_check() {  # platform label, report file
  "$PY" - "$2" "$1" <<'EOF'
import json, sys
report = json.load(open(sys.argv[1]))
windows = [w["class"] for w in report["windows"]]
assert "MainWindow" in windows, f"no main window shown: {report['windows']}"
empty = [c["name"] for c in report["components"] if not c["version"] or c["version"] == "not found"]
assert not empty, f"About dialog has no version for {empty}"
print(f"{report['platform']}: {', '.join(windows)}; About lists {len(report['components'])} components")
EOF
}

run_gui() {  # report file, command prefix...
  local report="$1"; shift
  cp "$SAMPLE_TEXT" "$WORK/memo.pdf"
  REDACTVIEW_QUIT_AFTER_MS=4000 REDACTVIEW_SMOKE_REPORT="$report" \
    timeout 180 "$@" "$APP" "$WORK/memo.pdf" || { echo "GUI exited $?"; return 1; }
  [ -s "$report" ] || { echo "GUI wrote no smoke report"; return 1; }
}

step_gui_offscreen() {
  QT_QPA_PLATFORM=offscreen run_gui "$WORK/gui-offscreen.json" env || return 1
  gui_check offscreen "$WORK/gui-offscreen.json"
}

step_gui_xvfb() {
  QT_QPA_PLATFORM=xcb run_gui "$WORK/gui-xcb.json" xvfb-run -a || return 1
  gui_check xcb "$WORK/gui-xcb.json"
}

size_of="$APP"; [ "$onefile" -eq 1 ] || size_of="$(dirname "$APP")"
echo "smoke_frozen: testing $APP ($(du -sh "$size_of" | cut -f1))" >&2
run_step "--version" step_version
run_step "info" step_info
run_step "scan --jobs 2" step_scan
run_step "GUI offscreen" step_gui_offscreen
if command -v xvfb-run >/dev/null 2>&1; then
  run_step "GUI xcb (Xvfb)" step_gui_xvfb
fi

printf '\n%-22s %-5s %7s  %s\n' STEP RESULT TIME DETAIL
printf '%s\n' "${results[@]}"
failed="$(printf '%s\n' "${results[@]}" | grep -c ' FAIL ')"
passed="$(printf '%s\n' "${results[@]}" | grep -c ' PASS ')"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
