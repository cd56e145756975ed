#!/usr/bin/env bash
# Set up everything redactview needs, idempotently: system packages (through
# apt when run as root, otherwise a list of what to install), a virtual
# environment in .venv with the package and its dev tools. Sourced by
# scripts/quickstart.sh and scripts/test.sh; safe to run again and again.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${REDACTVIEW_VENV:-$ROOT/.venv}"

# Debian/Ubuntu packages: Tesseract with English and orientation data, the X,
# EGL and xcb libraries Qt loads even offscreen, Xvfb for a virtual screen,
# poppler-utils (pdftoppm) for looking at exported PDFs, venv support.
APT_PACKAGES=(
  tesseract-ocr tesseract-ocr-eng tesseract-ocr-osd
  libegl1 libgl1 libglib2.0-0 libfontconfig1 libdbus-1-3 libx11-xcb1
  libxkbcommon0 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-image0
  libxcb-keysyms1 libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xinerama0
  libxcb-xfixes0 libxcb-shm0 libxcb-sync1 libxcb-xkb1
  xvfb xauth poppler-utils fonts-dejavu-core
)

say() { printf 'redactview setup: %s\n' "$*" >&2; }

find_python() {
  local candidate
  for candidate in "${REDACTVIEW_PYTHON:-}" python3.13 python3.12 python3.11 python3; do
    [ -n "$candidate" ] || continue
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      command -v "$candidate"
      return 0
    fi
  done
  return 1
}

missing_apt_packages() {
  local pkg missing=()
  for pkg in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" ||
      missing+=("$pkg")
  done
  # The system Python needs the venv module (python3.X-venv on Debian/Ubuntu).
  local py
  if py="$(find_python)" && ! "$py" -c 'import ensurepip, venv' >/dev/null 2>&1; then
    missing+=("python3-venv" "$(basename "$py")-venv")
  fi
  [ "${#missing[@]}" -eq 0 ] || printf '%s\n' "${missing[@]}"
}

install_system_packages() {
  if ! command -v dpkg-query >/dev/null 2>&1; then
    command -v tesseract >/dev/null 2>&1 ||
      say "Tesseract not found: install it for OCR (see README, 'Installing Tesseract')."
    return 0
  fi
  local missing
  mapfile -t missing < <(missing_apt_packages | grep -v '^$' || true)
  [ "${#missing[@]}" -eq 0 ] && return 0
  if [ "$(id -u)" -eq 0 ]; then
    say "installing system packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # python3.X-venv may not exist under that name everywhere; retry without it.
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null ||
      apt-get install -y -qq --no-install-recommends \
        $(printf '%s\n' "${missing[@]}" | grep -v -- '-venv$' || true) python3-venv >/dev/null
  else
    say "these system packages are missing; install them and run this again:"
    printf '\n    sudo apt-get install %s\n\n' "${missing[*]}" >&2
    exit 1
  fi
}

create_venv() {
  local py stamp want
  if ! py="$(find_python)"; then
    say "Python 3.11 or newer is needed (python3 --version says: $(python3 --version 2>&1 || echo none))."
    exit 1
  fi
  if [ ! -x "$VENV/bin/python" ]; then
    say "creating virtual environment $VENV with $py"
    "$py" -m venv "$VENV"
  fi
  # Reinstall only when the package's requirements changed.
  stamp="$VENV/.redactview-installed"
  want="$(sha256sum "$ROOT/pyproject.toml" | cut -d' ' -f1)"
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    say "installing redactview and its dependencies into $VENV"
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check -e "$ROOT[dev,dask]"
    echo "$want" >"$stamp"
  fi
}

install_system_packages
create_venv
