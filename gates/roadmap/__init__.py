"""The roadmap is the config: criteria written in a Markdown roadmap, read as gate settings.

``parse`` finds the criteria (:mod:`gates.roadmap.markdown` reads the document,
:mod:`gates.roadmap.quantities` the figures, :mod:`gates.roadmap.metrics` maps each
phrase to a gate); ``plan`` turns them into settings, ``apply`` writes them into
pyproject.toml (``gates init``) and ``checklist`` measures them (``gates report --roadmap``).
"""
