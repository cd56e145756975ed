"""redactview.core"""
