"""Batch audit of a folder of published reports (for supervising offices); see runner.py."""
