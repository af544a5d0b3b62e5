"""`gates history`: every gate's figure over the commits of a range, charts and a forecast."""
