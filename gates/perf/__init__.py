"""GT303's data: the stored baselines (``.performance_baselines.json``) and the statistics
that judge a benchmark against them."""
