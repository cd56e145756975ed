#!/usr/bin/env bash
# Build the frozen desktop app with PyInstaller, in one command:
#
#   scripts/build_app.sh             # one folder:  dist/redactview/redactview
#   scripts/build_app.sh --onefile   # one file:    dist/redactview-onefile
#   scripts/build_app.sh --worktree  # build the working tree, uncommitted edits too
#
# By default it builds the committed HEAD, exported to build/src: a build that
# can be named by its commit, and untouched by whatever is being edited in the
# tree meanwhile (several people work in one tree here). Outside a git
# checkout it builds the tree as it is.
# The build runs in its own virtual environment (build/venv) holding only what
# the app needs at run time plus PyInstaller, so nothing from the dev tools
# (pytest, mypy, Dask…) can end up in the bundle. The redactview package comes
# from the source folder (build.spec puts it on the path), not from the venv.
# REDACTVIEW_BUILD_VENV=.venv builds with the dev environment instead.
#
# Prints the build time and the size of the result on stderr.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_VENV="${REDACTVIEW_BUILD_VENV:-$ROOT/build/venv}"
PYINSTALLER_REQ="${REDACTVIEW_PYINSTALLER:-pyinstaller>=6.6}"
say() { printf 'build_app: %s\n' "$*" >&2; }

onefile=0 worktree=0
for arg in "$@"; do
  case "$arg" in
    --onefile) onefile=1 ;;
    --worktree) worktree=1 ;;
    -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
    *) say "unknown option $arg"; exit 2 ;;
  esac
done

find_python() {
  local candidate
  for candidate in "${REDACTVIEW_PYTHON:-}" python3.13 python3.12 python3.11 python3; do
    [ -n "$candidate" ] || continue
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      command -v "$candidate"; return 0
    fi
  done
  return 1
}

# The run-time requirements, read from pyproject.toml so that they never drift.
runtime_requirements() {
  "$BUILD_VENV/bin/python" - "$ROOT/pyproject.toml" <<'EOF'
import sys, tomllib
with open(sys.argv[1], "rb") as f:
    print("\n".join(tomllib.load(f)["project"]["dependencies"]))
EOF
}

setup_venv() {
  if [ ! -x "$BUILD_VENV/bin/python" ]; then
    local py
    py="$(find_python)" || { say "Python 3.11 or newer is needed"; exit 1; }
    say "creating build environment $BUILD_VENV"
    "$py" -m venv "$BUILD_VENV"
  fi
  # Reinstall only when the requirements changed.
  local stamp="$BUILD_VENV/.redactview-build" want
  want="$(sha256sum "$ROOT/pyproject.toml" | cut -d' ' -f1) $PYINSTALLER_REQ"
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    say "installing run-time requirements and PyInstaller into $BUILD_VENV"
    local reqs
    mapfile -t reqs < <(runtime_requirements)
    "$BUILD_VENV/bin/python" -m pip install -q --disable-pip-version-check \
      "$PYINSTALLER_REQ" "${reqs[@]}"
    echo "$want" >"$stamp"
  fi
}

# Prints the folder to build from: an export of HEAD, or the tree itself.
source_folder() {
  if [ "$worktree" -eq 1 ] || ! git -C "$ROOT" rev-parse --verify -q HEAD >/dev/null 2>&1; then
    say "building the working tree as it is"
    echo "$ROOT"; return
  fi
  local src="$ROOT/build/src"
  rm -rf "$src" && mkdir -p "$src"
  git -C "$ROOT" archive HEAD | tar -x -C "$src"
  say "building commit $(git -C "$ROOT" rev-parse --short HEAD) (exported to build/src)"
  echo "$src"
}

build() {
  local name="redactview" start end src
  [ "$onefile" -eq 1 ] && name="redactview-onefile"
  src="$(source_folder)"
  start=$(date +%s)
  say "running PyInstaller ($name)…"
  (cd "$src" && REDACTVIEW_ONEFILE="$onefile" "$BUILD_VENV/bin/python" -m PyInstaller \
      --noconfirm --clean --log-level WARN \
      --distpath "$ROOT/dist" --workpath "$ROOT/build/pyinstaller" build.spec)
  end=$(date +%s)
  say "built dist/$name in $((end - start)) s; size $(du -sh "$ROOT/dist/$name" | cut -f1)"
}

setup_venv
build
