"""The plugin's side of GT301: starting coverage (``--gates-cov``) and judging it at the end."""
