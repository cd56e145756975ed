"""redactview.cli"""
