"""The plugin's side of ``gates combine``: each shard of a split run writes its record."""
