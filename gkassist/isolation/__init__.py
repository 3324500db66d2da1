"""Imports in a child process, for the app: one upload cannot stall or kill the server.

The Streamlit server serves every session from one process. An import run there holds that
process's memory and, in pure-Python loops, its interpreter lock; a hostile file could take
both from everyone. Here the import runs in a child process (``child``) with a memory cap and
the import's time budget, and is killed past a hard deadline (``runner``); the parent thread
only waits on a pipe, so other sessions go on. The result comes back as JSON.
"""
