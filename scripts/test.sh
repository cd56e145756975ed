#!/usr/bin/env bash
# The whole test suite: sets up what it needs (idempotently), then lints,
# type-checks, checks the import boundaries and runs pytest headless.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/bootstrap.sh"
cd "$ROOT"
export QT_QPA_PLATFORM=offscreen
export PYTHONDONTWRITEBYTECODE=1

"$VENV/bin/ruff" check redactview tests bench sample_docs
"$VENV/bin/ruff" format --check redactview tests bench sample_docs
"$VENV/bin/mypy"
"$VENV/bin/lint-imports"
"$VENV/bin/python" -m pytest "$@"
