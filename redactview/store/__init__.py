"""redactview.store"""
