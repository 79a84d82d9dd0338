"""Recorded cassettes, their scenarios, the catalog that records them, and the index."""
