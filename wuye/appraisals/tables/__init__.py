"""Tables of the appraisals lists, one module per subject (pages and Excel)."""
