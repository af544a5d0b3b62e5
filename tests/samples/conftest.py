"""The samples are projects for gates to check, not tests for pytest to run."""

collect_ignore_glob = ["*"]
