"""Finish stage: impose, set metadata and write files with a manifest."""
