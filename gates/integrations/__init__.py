"""gates inside other tools (the flake8 plugin) and other tools inside gates (flake8, mypy
and bandit run as gates GT201-GT203)."""
