"""redactview.export"""
