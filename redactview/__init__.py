"""redactview: find, catalog, annotate and compare redactions in FOIA releases, offline."""

__version__ = "0.1.0"
