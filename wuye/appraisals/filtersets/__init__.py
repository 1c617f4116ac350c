"""Filters of the appraisals lists, one module per subject (the same classes drive the pages and the API)."""
