"""The machinery every gate runs on: config, file discovery, sources, the engine and its
cache, checker selection and registry, git, and the files gates writes."""
