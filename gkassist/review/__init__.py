"""The review loop as domain rules: the statuses and moves (rules/review.yaml, ``policy``) and what
keeps a report from being submitted (``readiness``). The stored status is in gkassist/storage/review.py."""
