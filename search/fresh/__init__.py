"""Keeping the index fresh: followed sources, their state in SQLite, and the update run."""
