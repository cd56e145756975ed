"""redactview.ui"""
