"""Cross-release comparison: pair pages, link redactions, read what B reveals.

Pure Python + NumPy on plain inputs (``PageContent``), so it runs the same on
text-layer words, OCR words or ground truth, and is fast enough for two
500-page releases. Steps: ``build_stream`` (words and redaction slots in
reading order) → ``align_pages`` (MinHash page similarity, one-to-one pairs,
gaps filled from neighbours) → ``find_counterpart`` (context anchors around
each redaction) → ``classify`` (both / revealed / new / unmatched), with a
geometric fallback where the two pages share a layout.
"""

from redactview.analysis.compare.link import link_releases
from redactview.analysis.compare.model import CompareResult, PageContent

__all__ = ["CompareResult", "PageContent", "link_releases"]
