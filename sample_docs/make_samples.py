"""Generate the committed sample FOIA releases and their ground-truth JSON.

    .venv/bin/python sample_docs/make_samples.py [--out DIR]

Deterministic: fixed seeds (numpy default_rng), fixed PDF metadata and no new /ID, so a
rerun reproduces the same truth files. Standalone on purpose: it never imports redactview,
so the samples cannot inherit a bug from the code they are meant to test.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _gen.releases import build_all


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out",
        type=Path,
        default=Path(__file__).resolve().parent,
        help="output directory (default: sample_docs/)",
    )
    args = parser.parse_args(argv)
    build_all(args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
