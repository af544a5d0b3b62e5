"""Time and memory budgets: ``@pytest.mark.budget``, ``--gates-max-duration``, ``--gates-max-memory``."""
