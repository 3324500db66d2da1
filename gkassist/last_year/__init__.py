"""Last year's report beside this year's: attaching it, carrying its figures over, and what
this year's text shares with it (the 雷同 share, last year's problems taken up or not).

Shared by the checks (A6, C2, D3, X6, X9), the comparison (gkassist.compare), the template
drafter and the UI; it imports nothing above the report model.
"""
