"""redactview.pdf"""
