"""The Streamlit UI: thin pages in ui/pages; what they do, by job, in plain modules beside them
(forms, grid, findings_view, downloads, drafting_glue, last_year_source, review_actions,
llm_session). The arithmetic on reports lives below the UI (gkassist.totals,
gkassist.last_year); see docs/architecture.md."""
