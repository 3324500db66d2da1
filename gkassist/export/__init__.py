"""Rendering a report for publication, behind the export gate."""
