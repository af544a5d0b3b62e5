"""Roadmap sentences that retire a library or a package, read as banned-import rules.

"Replace direct NumPy usage with emberharmony's backend abstraction system" bans
``numpy`` with the message "use emberharmony's backend abstraction system"; "Delete
`src/ember/core/operators_v2/`" bans ``ember.core.operators_v2``. The rule's ``allow-in``
starts empty: `gates init --from` lists the rule so that the user names the paths where
the library stays (the backend that wraps it), as the dry run shows.
"""

from __future__ import annotations

import re
from typing import Any

_I = re.IGNORECASE

# Libraries named in prose, by the names roadmaps write them in -> the module imported.
# Only names that are not also common words ("requests", "six", "mock" are not here).
LIBRARIES = {
    "numpy": "numpy", "pandas": "pandas", "scipy": "scipy", "tensorflow": "tensorflow",
    "pytorch": "torch", "torch": "torch", "scikit-learn": "sklearn", "sklearn": "sklearn",
    "matplotlib": "matplotlib", "simplejson": "simplejson", "pytz": "pytz", "keras": "keras",
    "theano": "theano", "nose": "nose", "pkg_resources": "pkg_resources", "distutils": "distutils",
    "optparse": "optparse", "imp": "imp", "asyncore": "asyncore",
}
NOT_MODULES = ("yaml", "yml", "json", "toml", "cfg", "ini", "txt", "md", "rst", "csv", "html", "js",
               "lock", "sh", "xml", "ipynb", "com", "org", "io", "net", "dev")
_LIBRARY = re.compile(r"(?<![\w.`/-])(" + "|".join(re.escape(n) for n in sorted(LIBRARIES, key=len, reverse=True))
                      + r")(?![\w`/-]|\.\w)", _I)
# A module as a path or a dotted name (the roadmap reader has dropped code spans' backticks):
# src/ember/core/operators_v2/, pkg/old.py, numpy.random. Lower case, as packages are named;
# a one-letter part ("e.g") and a file that is not Python (config.yaml) are not modules.
_CODE = re.compile(
    r"(?<![\w./:-])((?:src/)?[a-z_][a-z0-9_]+(?:/[a-z_][a-z0-9_]+)+(?:\.py)?/?"
    r"|[a-z_][a-z0-9_]+(?:\.(?!(?:" + "|".join(NOT_MODULES) + r")\b)[a-z_][a-z0-9_]+)+)(?![\w/-])")
SUBJECT = re.compile(_LIBRARY.pattern + "|(?-i:" + _CODE.pattern + ")", _I)
# The verbs that retire something; for "replace", what follows "with"/"by" is the replacement.
RETIRES = re.compile(
    r"\b(?:replac\w*|delet\w*|remov\w*|drop(?:s|ped|ping)?|retir\w*|deprecat\w*|eliminat\w*"
    r"|get(?:ting)? rid of|migrat\w* (?:away )?from|phas\w* out|purg\w*)\b", _I)
_REPLACEMENT = re.compile(r"\b(?:with|by|in favou?r of)\b\s+(.+?)\s*(?:[.;]\s|[.;]?$|\s[—–-]\s|\()", _I)


def module_of(written: str) -> str:
    """The module a mention names: ``NumPy`` -> numpy, ``src/a/b/`` -> a.b, ``a/b.py`` -> a.b."""
    library = LIBRARIES.get(written.lower())
    if library is not None:
        return library
    name = written.rstrip("/")
    name = name.removeprefix("src/").removesuffix(".py")
    return name.replace("/", ".")


def _banned(text: str) -> tuple[str, str] | None:
    """The first module the line retires, and what replaces it ("" when it does not say)."""
    verb = RETIRES.search(text)
    if verb is None:
        return None
    replacement = None
    if verb.group(0).lower().startswith("replac"):  # "replace X with Y", "X replaced with Y"
        replacement = _REPLACEMENT.search(text, verb.end()) or _REPLACEMENT.search(text)
    mention = SUBJECT.search(text, 0, replacement.start() if replacement else len(text))
    if mention is None:
        return None
    phrase = replacement.group(1).strip(" .*`") if replacement else ""
    return module_of(mention.group(0)), phrase


def ban_rule(text: str) -> tuple[tuple[str, Any], ...]:
    """``(("rules", [rule]),)`` for a line that retires a module, else ``()``."""
    found = _banned(text)
    if found is None:
        return ()
    module, phrase = found
    rule: dict[str, Any] = {"module": module, "allow-in": []}
    if phrase:
        rule["message"] = f"use {phrase}"
    return (("rules", [rule]),)


def merged_rules(old: Any, new: Any) -> list[Any]:
    """``old``'s rules, then each rule of ``new`` for a module ``old`` does not ban yet: a
    project's own rule (its confirmed allow-in) always wins over the roadmap's proposal."""
    known = {rule.get("module") for rule in old if isinstance(rule, dict)}
    return [*old, *(rule for rule in new if isinstance(rule, dict) and rule.get("module") not in known)]
