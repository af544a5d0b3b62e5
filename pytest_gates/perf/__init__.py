"""The plugin's side of GT303: the ``gates_perf`` fixture, measuring, judging and saving."""
