"""redactview.pdf: the only home of PyMuPDF.

PyMuPDF 2 imports its layout-analysis and Markdown add-ons (``pymupdf.layout``
with ONNX Runtime, and ``pymupdf4llm``) on ``import pymupdf`` whenever they
are installed, which costs every process about 2.5 s and 47 MB at start-up —
paid again by each worker process. redactview uses neither, so both are
blocked before the first import: PyMuPDF then takes its own "not installed"
path (it wraps both imports in ``try/except ImportError``).
"""

import sys

for _addon in ("pymupdf.layout", "pymupdf4llm"):
    sys.modules.setdefault(_addon, None)  # type: ignore[arg-type]
