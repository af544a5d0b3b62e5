"""Sharded test runs, one verdict: each shard's record (:mod:`gates.combine.record`) and
``gates combine``, which merges them (:mod:`gates.combine.merge`)."""
