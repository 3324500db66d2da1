"""The rule engine: declarative identities from rules/ plus registered code rules."""

from gkassist.checks.engine import active_specs, check_report

__all__ = ["active_specs", "check_report"]
