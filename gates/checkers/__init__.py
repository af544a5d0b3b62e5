"""The built-in checkers. Each module holds one; all register through ``gates.checkers``.

``BUILT_IN`` says, for each built-in entry point target, the gate's code and whether it
is on by default, so that a run imports only the checkers it uses (the tests hold it
equal to the classes themselves).
"""

BUILT_IN: dict[str, tuple[str, bool]] = {
    "gates.checkers.syntax:SyntaxChecker": ("GT100", True),
    "gates.checkers.no_print:NoPrintChecker": ("GT101", True),
    "gates.checkers.function_length:FunctionLengthChecker": ("GT102", True),
    "gates.checkers.file_size:FileSizeChecker": ("GT103", True),
    "gates.checkers.type_coverage:TypeCoverageChecker": ("GT104", True),
    "gates.checkers.unseeded_rng:UnseededRngChecker": ("GT105", True),
    "gates.checkers.complexity:ComplexityChecker": ("GT106", True),
    "gates.checkers.banned_import:BannedImportChecker": ("GT107", False),
    "gates.checkers.layers:LayersChecker": ("GT108", False),
    "gates.checkers.import_cycles:ImportCyclesChecker": ("GT109", False),
    "gates.checkers.flake8_gate:Flake8Checker": ("GT201", False),
    "gates.checkers.mypy_gate:MypyChecker": ("GT202", False),
    "gates.checkers.bandit_gate:BanditChecker": ("GT203", False),
    "gates.checkers.coverage:CoverageChecker": ("GT301", False),
    "gates.checkers.seeds:SeedsChecker": ("GT302", False),
    "gates.checkers.perf:PerfChecker": ("GT303", False),
}
