"""The package layout holds: no import circles, the add-on side never imports the test side, and each
subpackage of fake_kodi says in its docstring what may import it.

The import graph is read from the sources with `ast`, not by importing them: every import counts,
at module level, inside functions and under `if TYPE_CHECKING:` alike, since a circle hidden in a
function is still a circle. A module importing itself (the bootstrap does, to run as one module
rather than also as `__main__`) is not a circle.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from fake_kodi._moved import MOVED_MODULES
from fake_kodi.home import OLD_HOME_NAMES
from trakt_cassettes.record import MOVED_NAMES as OLD_RECORD_NAMES

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("fake_kodi", "trakt_cassettes")
ADD_ON_SIDE = "fake_kodi.addon_side"
# What the add-on's interpreter may load of fake_kodi: its own side and the state on disk.
ADD_ON_SIDE_MAY_IMPORT = ("fake_kodi.addon_side", "fake_kodi.home")
HOME_MAY_IMPORT = ("fake_kodi.home",)
# The reference add-on is one user of trakt_cassettes, never part of it: its modules (resources/lib) and the
# names of its folder must not appear in trakt_cassettes' code (issues 15 and 16).
REFERENCE_ADDON_MODULES = ("aiostreams", "database", "trakt", "reference_addon")
REFERENCE_ADDON_NAMES = ("reference_addon", "plugin.video.aiostreams")
# A module of the add-on named in a string (importlib, `fake-kodi call` targets): aiostreams.debug, database.x.
REFERENCE_MODULE_IN_TEXT = re.compile(r"(?<![\w.])(?:aiostreams|database)\.\w+")
# Code that still uses a deprecated path would warn on every run; the shims exist only for users.
CODE_TREES = ("fake_kodi", "trakt_cassettes", "tests", "perf", "contracts", "reference_addon")


def module_files(root: Path = ROOT) -> dict[str, Path]:
    """Dotted name -> file for every module of PACKAGES (kodi_api's files included, named by folder)."""
    modules = {}
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            parts = list(path.relative_to(root).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            modules[".".join(parts)] = path
    return modules


def imported_modules(name: str, path: Path, modules: dict[str, Path]) -> list[tuple[str, int]]:
    """(module, line) for each import in `path` that names a module of PACKAGES."""
    found = []
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    in_plain_folder = not (path.parent / "__init__.py").exists()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            # `from package import module` imports that module; `from module import name`, the module.
            submodules = [f"{source}.{alias.name}" for alias in node.names]
            targets = [t for t in submodules if t in modules]
            if len(targets) < len(submodules):
                targets.append(source)
        else:
            continue
        for target in targets:
            if in_plain_folder and f"{package}.{target}" in modules:
                # kodi_api/ is on the add-on's sys.path: `from _fk_args import ...` is its sibling.
                target = f"{package}.{target}"
            while target not in modules and "." in target:
                target = target.rpartition(".")[0]
            if target in modules and target != name:
                found.append((target, node.lineno))
    return found


def import_graph(root: Path = ROOT) -> dict[str, dict[str, int]]:
    """module -> {imported module: line of the first such import}."""
    modules = module_files(root)
    graph: dict[str, dict[str, int]] = {}
    for name, path in modules.items():
        graph[name] = {}
        for target, line in imported_modules(name, path, modules):
            graph[name].setdefault(target, line)
    return graph


def find_cycles(graph: dict[str, dict[str, int]]) -> list[list[str]]:
    """The circles (a -> b -> ... -> a) a depth-first walk closes; empty when there are none."""
    cycles: list[list[str]] = []
    state: dict[str, str] = {}  # "open" while on the DFS path, "done" after
    path: list[str] = []

    def visit(module: str) -> None:
        state[module] = "open"
        path.append(module)
        for target in sorted(graph[module]):
            if state.get(target) == "open":
                cycles.append(path[path.index(target) :] + [target])
            elif target not in state:
                visit(target)
        path.pop()
        state[module] = "done"

    for module in sorted(graph):
        if module not in state:
            visit(module)
    return cycles


def side_violations(graph: dict[str, dict[str, int]], side: str, allowed: tuple[str, ...]) -> list[str]:
    """'module:line imports target' for each import from `side` into fake_kodi outside `allowed`."""
    return [
        f"{module}:{line} imports {target}"
        for module, targets in sorted(graph.items())
        if module == side or module.startswith(side + ".")
        for target, line in sorted(targets.items())
        if target.startswith("fake_kodi")
        and not any(target == ok or target.startswith(ok + ".") for ok in allowed)
    ]


def reference_addon_uses(root: Path = ROOT, package: str = "trakt_cassettes") -> list[str]:
    """'file:line ...' for each import of a reference add-on module and each line naming its folder, in `package`."""
    uses = []
    for path in sorted((root / package).rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        where = path.relative_to(root)
        for node in ast.walk(ast.parse(text, str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level:
                names = [node.module or ""]
            else:
                continue
            uses += [f"{where}:{node.lineno} imports {name}" for name in names
                     if name.split(".")[0] in REFERENCE_ADDON_MODULES]  # fmt: skip
        for number, line in enumerate(text.splitlines(), 1):  # strings, docstrings and comments alike
            uses += [f"{where}:{number} names {name}" for name in REFERENCE_ADDON_NAMES if name in line]
            if not any(use.startswith(f"{where}:{number} imports") for use in uses):
                uses += [
                    f"{where}:{number} names {match}" for match in REFERENCE_MODULE_IN_TEXT.findall(line)
                ]
    return uses


@pytest.fixture(scope="module")
def repo_graph() -> dict[str, dict[str, int]]:
    return import_graph()


def test_no_import_circles_in_fake_kodi_or_trakt_cassettes(repo_graph):
    cycles = find_cycles(repo_graph)
    assert cycles == [], "import circles:\n" + "\n".join(" -> ".join(cycle) for cycle in cycles)


def test_the_add_on_side_imports_nothing_of_the_test_side(repo_graph):
    violations = side_violations(repo_graph, ADD_ON_SIDE, ADD_ON_SIDE_MAY_IMPORT)
    assert violations == [], "the add-on side imports the test side:\n" + "\n".join(violations)


def test_home_imports_only_home(repo_graph):
    violations = side_violations(repo_graph, "fake_kodi.home", HOME_MAY_IMPORT)
    assert violations == [], "fake_kodi.home imports other parts of fake_kodi:\n" + "\n".join(violations)


def test_the_checks_see_circles_and_side_crossings_in_function_level_imports(tmp_path: Path):
    # A planted tree: a circle closed inside a function, and the add-on side reaching the test side.
    files = {
        "fake_kodi/__init__.py": "",
        "fake_kodi/addon_side/__init__.py": "",
        "fake_kodi/addon_side/a.py": "def f():\n    from fake_kodi.host import b\n",
        "fake_kodi/host/__init__.py": "",
        "fake_kodi/host/b.py": "from fake_kodi.addon_side.a import f\n",
        "trakt_cassettes/__init__.py": "",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    graph = import_graph(tmp_path)
    assert (find_cycles(graph), side_violations(graph, ADD_ON_SIDE, ADD_ON_SIDE_MAY_IMPORT)) == (
        [["fake_kodi.addon_side.a", "fake_kodi.host.b", "fake_kodi.addon_side.a"]],
        ["fake_kodi.addon_side.a:2 imports fake_kodi.host.b"],
    )


def test_trakt_cassettes_neither_imports_the_reference_addon_nor_names_its_paths():
    uses = reference_addon_uses()
    assert uses == [], "trakt_cassettes depends on the reference add-on:\n" + "\n".join(uses)


def test_the_reference_addon_check_sees_imports_in_functions_and_paths_in_strings(tmp_path: Path):
    planted = tmp_path / "trakt_cassettes" / "replay.py"
    planted.parent.mkdir()
    planted.write_text(
        "def build():\n    from aiostreams.debug import run_sync\n    import database.connection\n"
        'BUILD = ROOT / "reference_addon" / "build.py"\nfrom trakt_cassettes.sim import Simulator\n'
        'TARGET = "aiostreams.debug:run_sync"  # com.aiostreams.simulated is the simulator\'s own name\n',
        encoding="utf-8",
    )
    assert reference_addon_uses(tmp_path) == [
        "trakt_cassettes/replay.py:2 imports aiostreams.debug",
        "trakt_cassettes/replay.py:3 imports database.connection",
        "trakt_cassettes/replay.py:4 names reference_addon",
        "trakt_cassettes/replay.py:6 names aiostreams.debug",
    ]


def test_kodi_api_sibling_imports_resolve_to_the_folder(repo_graph):
    assert "fake_kodi.addon_side.kodi_api._fk_args" in repo_graph["fake_kodi.addon_side.kodi_api.xbmc"]


@pytest.mark.parametrize(
    "package", sorted(p.parent.name for p in (ROOT / "fake_kodi").glob("*/__init__.py")), ids=str
)
def test_each_subpackage_docstring_says_what_may_import_it(package: str):
    init = ROOT / "fake_kodi" / package / "__init__.py"
    docstring = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))) or ""
    assert ("May import:" in docstring, "May be imported by:" in docstring) == (True, True), docstring


def test_project_code_imports_no_deprecated_path():
    old_names = {module: None for module in MOVED_MODULES}
    old_names.update({"fake_kodi.home": OLD_HOME_NAMES, "trakt_cassettes.record": tuple(OLD_RECORD_NAMES),
                      "trakt_cassettes.addon_sync": None, "trakt_cassettes.drivers": ("DRIVERS", "DEFAULT_DRIVER")})  # fmt: skip
    uses = []
    for tree in CODE_TREES:
        for path in sorted((ROOT / tree).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
                if isinstance(node, ast.Import):
                    hits = [alias.name for alias in node.names if alias.name in MOVED_MODULES
                            or alias.name == "trakt_cassettes.addon_sync"]  # fmt: skip
                elif isinstance(node, ast.ImportFrom) and node.module in old_names:
                    names = old_names[node.module]
                    hits = [
                        f"{node.module}.{alias.name}"
                        for alias in node.names
                        if names is None or alias.name in names
                    ]
                else:
                    continue
                uses += [f"{path.relative_to(ROOT)}:{node.lineno} {hit}" for hit in hits]
    assert uses == [], "deprecated import paths in use:\n" + "\n".join(uses)
