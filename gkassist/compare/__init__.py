"""Compare a report with last year's: table deltas, cross-year identities, narrative diff and 雷同.

    cmp = compare_reports(last, this)   # Comparison; see gkassist.compare.core
"""

from __future__ import annotations

from gkassist.compare.core import Comparison, compare_reports, comparison_json, comparison_text

__all__ = ["Comparison", "compare_reports", "comparison_json", "comparison_text"]
