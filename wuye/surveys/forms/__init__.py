"""The surveys app's forms, one module per subject (questionnaires, campaigns, responses, results)."""
