"""The appraisals app's reads, one module per subject."""
