"""GT301's figures: reading coverage.py's data, the total and per-file percentages, changed
lines, and the judgement the checker and the pytest plugin share."""
