"""Compose stage: turn a Selection into the blocks and texts of a product."""
