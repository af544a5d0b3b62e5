"""The built-in checkers. Each module holds one; all register through ``gates.checkers``."""
