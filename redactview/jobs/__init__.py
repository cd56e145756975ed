"""redactview.jobs"""
