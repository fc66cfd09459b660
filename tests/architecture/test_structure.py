"""The architecture as tests: which app may import which, no import cycles, and the
KIND-uren rule written in one module only."""

import ast
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Each app may import only from the apps before it; ``portal`` (the root URLconf) from all.
LAYERS = ["stemnet", "academies", "partnerships", "subsidies", "reporting"]
APPS = [*LAYERS, "portal"]


def _modules():
    """(dotted module name, path) of every module of the apps, migrations left out."""
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            parts = path.relative_to(ROOT).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            yield ".".join(parts), path


def _imports(module: str, path: Path):
    """Every module this one imports, anywhere in the file (a lazy import inside a
    function is a dependency too), as absolute dotted names."""
    is_package = path.name == "__init__.py"
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".")
                base = base if is_package else base[:-1]
                base = base[: len(base) - (node.level - 1)]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module
            yield target, node.lineno
            for alias in node.names:  # ``from . import services`` imports a module
                yield f"{target}.{alias.name}", node.lineno


MODULES = dict(_modules())


def _graph():
    graph = defaultdict(set)
    for module, path in MODULES.items():
        for target, _line in _imports(module, path):
            if target in MODULES and target != module:
                graph[module].add(target)
    return graph


def test_apps_import_only_from_the_apps_before_them():
    wrong = []
    for module, path in MODULES.items():
        app = module.split(".")[0]
        for target, line in _imports(module, path):
            other = target.split(".")[0]
            if other not in APPS or other == app or app == "portal":
                continue
            if other == "portal" or LAYERS.index(other) > LAYERS.index(app):
                wrong.append(f"{path.relative_to(ROOT)}:{line} imports {target}")
    assert wrong == []


def test_no_import_cycles():
    graph = _graph()
    cycles, state = [], {}

    def visit(node, stack):
        state[node] = "open"
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == "open":
                cycles.append(" -> ".join([*stack[stack.index(nxt) :], nxt]))
            elif nxt not in state:
                visit(nxt, stack)
        stack.pop()
        state[node] = "done"

    for module in sorted(MODULES):
        if module not in state:
            visit(module, [])
    assert cycles == []


# --- The KIND-uren rule in one place -----------------------------------------------------

RULE_MODULES = {"academies/kind_hours.py", "academies/eligibility.py"}
RECOGNITION_DATES = {"valid_from", "valid_until"}
COMPARISONS = {"lt", "lte", "gt", "gte"}
SCHOOL_HOURS = {"SCHOOL_START", "SCHOOL_END", "WEDNESDAY_SCHOOL_END", "school_window"}


def _rule_expressions(path: Path):
    """Where a module writes part of the eligibility rule itself: a comparison on a
    recognition's dates or on a birth year in a query, session year minus birth year, or
    the school hours."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.keyword) and node.arg and "__" in node.arg:
            *fields, lookup = node.arg.split("__")
            if lookup in COMPARISONS and (
                fields[-1] in RECOGNITION_DATES or fields[-1] == "birth_year"
            ):
                yield node.value.lineno, f"query on {node.arg}"
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Sub):
            text = ast.unparse(node)
            if "ExtractYear" in text and "birth_year" in text:
                yield node.lineno, "age expression"
        elif isinstance(node, ast.Name | ast.alias):
            name = node.id if isinstance(node, ast.Name) else node.name
            if name in SCHOOL_HOURS:
                yield node.lineno, f"school hours ({name})"


def test_only_the_kind_hours_module_writes_the_eligibility_rule():
    found = []
    for path in MODULES.values():
        relative = path.relative_to(ROOT).as_posix()
        # Models declare constraints on their own fields (valid_until >= valid_from).
        if relative in RULE_MODULES or relative.startswith("academies/models/"):
            continue
        found += [f"{relative}:{line}: {what}" for line, what in _rule_expressions(path)]
    assert found == []


@pytest.mark.parametrize(
    "source, expected",
    [
        ("Recognition.objects.filter(valid_from__lte=day)", ["query on valid_from__lte"]),
        ("Q(recognitions__valid_until__gte=d)", ["query on recognitions__valid_until__gte"]),
        ("Q(participant__birth_year__gte=y)", ["query on participant__birth_year__gte"]),
        ('ExtractYear("session__date") - F("participant__birth_year")', ["age expression"]),
        ("from academies.eligibility import SCHOOL_END", ["school hours (SCHOOL_END)"]),
        ("Recognition.objects.filter(valid_on(day), academy=a)", []),
    ],
)
def test_the_rule_detector_finds_what_it_must(tmp_path, source, expected):
    path = tmp_path / "module.py"
    path.write_text(source + "\n")
    assert [what for _line, what in _rule_expressions(path)] == expected
