"""Forms of the appraisals pages, one module per subject; they only collect input, the services decide."""
