"""redactview.ocr"""
