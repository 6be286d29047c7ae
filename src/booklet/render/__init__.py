"""Render stage: draw composed products as pages with ReportLab."""

from reportlab import rl_config

# Fixed creation dates and document ids: the same content gives the same bytes.
rl_config.invariant = 1
