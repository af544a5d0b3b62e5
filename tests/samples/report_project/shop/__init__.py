"""A small shop, with a violation of every gate on purpose."""
