"""The Streamlit UI: thin pages in ui/pages, their logic in ui/actions.py."""
