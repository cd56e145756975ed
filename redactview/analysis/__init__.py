"""redactview.analysis"""
