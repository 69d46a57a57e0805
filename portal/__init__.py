"""The pages that gather every app: my work, the bloc-year and unit pages, the leaders'
dashboard, open data, opening the next year (docs/architecture.md)."""
