"""Shared analyses of a parsed module: name and call resolution, definitions, the
complexity bound. Pure functions of a tree; several checkers use each."""
