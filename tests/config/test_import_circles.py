"""The apps form floors (docs/architecture.md, "Layers"): each imports only its own floor and those below, and
no module or app imports itself round about. Every import counts, at the top of a module or inside a function.

Self-contained on purpose (CI runs on a clean clone): the project's files are read with `ast`, nothing is
imported. A new app must be given a floor in FLOORS below.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# The floors, lowest first. An app may import apps on its own floor or below; never one above.
FLOORS: list[tuple[str, ...]] = [
    ("commons", "peers"),  # what every app needs; people, sign-in, notifications
    ("moderation",),  # screening, sanctions, the Moderated mixin, the audit record, the registry of kinds
    ("forum", "rooms", "safety", "helpnow", "checking", "voice", "spotting"),  # content apps: register their kinds with moderation
    ("community",),  # what shows or builds several apps at once: the home page, seed_demo
    ("config",),  # settings, URLs, ASGI: wires every app together
]
# Not project code: the tests and benchmarks import every floor, and so does nothing else; deploy/ holds the
# operator's scripts (render_nginx.py), which import no app.
SKIP_DIRS = {".venv", "venv", "tests", "bench", "deploy", "node_modules", "staticfiles", "var", "__pycache__"}
SKIP_MODULES = {"manage"}


def project_modules(root: Path) -> dict[str, Path]:
    """Dotted module name -> file, for every .py file of the project (migrations included)."""
    modules = {}
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root)
        if any(part in SKIP_DIRS or part.startswith(".") for part in rel.parts[:-1]):
            continue
        name = ".".join(rel.with_suffix("").parts).removesuffix(".__init__")
        if name not in SKIP_MODULES:
            modules[name] = path
    return modules


def _imported_names(path: Path, module: str) -> list[tuple[str, int]]:
    """(dotted name, line) of every import statement in the file, wherever it stands."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                parts = parts[: len(parts) - node.level + 1]
                base = ".".join(parts + ([base] if base else []))
            found += [(base, node.lineno)] + [(f"{base}.{alias.name}", node.lineno) for alias in node.names]
    return found


def import_graph(root: Path) -> tuple[dict[str, set[str]], dict[tuple[str, str], str]]:
    """Module -> the project modules it imports, and for each edge where it is ("forum/services.py:42")."""
    modules = project_modules(root)

    def owner(name: str) -> str | None:
        while name:
            if name in modules:
                return name
            name = name.rpartition(".")[0]
        return None

    edges: dict[str, set[str]] = {module: set() for module in modules}
    where: dict[tuple[str, str], str] = {}
    for module, path in modules.items():
        for name, line in _imported_names(path, module):
            target = owner(name)
            # A package's own __init__ (importing `forum.services` runs `forum`) is not an import of it.
            if target and target != module and not module.startswith(target + "."):
                edges[module].add(target)
                where.setdefault((module, target), f"{path.relative_to(root)}:{line}")
    return edges, where


def circles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one node (Tarjan's algorithm, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []
    for start in sorted(edges):
        if start in index:
            continue
        work = [(start, iter(sorted(edges[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, successors = work[-1]
            for successor in successors:
                if successor not in index:
                    index[successor] = low[successor] = len(index)
                    stack.append(successor)
                    on_stack.add(successor)
                    work.append((successor, iter(sorted(edges.get(successor, ())))))
                    break
                if successor in on_stack:
                    low[node] = min(low[node], index[successor])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
    return found


def app_graph(edges: dict[str, set[str]], where: dict) -> tuple[dict[str, set[str]], dict[tuple[str, str], str]]:
    apps: dict[str, set[str]] = {module.split(".")[0]: set() for module in edges}
    example: dict[tuple[str, str], str] = {}
    for module, targets in sorted(edges.items()):
        for target in sorted(targets, key=lambda name: (-len(name), name)):  # the most telling example first
            a, b = module.split(".")[0], target.split(".")[0]
            if a != b:
                apps[a].add(b)
                example.setdefault((a, b), f"{module} -> {target} ({where[(module, target)]})")
    return apps, example


def _describe(circle: list[str], edges: dict[str, set[str]], where: dict) -> str:
    inside = [f"    {a} -> {b}  ({where[(a, b)]})" for a in circle for b in sorted(edges[a]) if b in circle]
    return "circle: " + ", ".join(circle) + "\n" + "\n".join(inside)


def layer_breaches(apps: dict[str, set[str]], example: dict) -> list[str]:
    floor = {app: level for level, names in enumerate(FLOORS) for app in names}
    return [
        f"{a} (floor {floor[a] + 1}) imports {b} (floor {floor[b] + 1}), above it: {example[(a, b)]}"
        for a in sorted(apps) for b in sorted(apps[a]) if a in floor and b in floor and floor[b] > floor[a]
    ]


@pytest.fixture(scope="module")
def graph():
    return import_graph(ROOT)


def test_no_module_imports_itself_round_about(graph):
    edges, where = graph
    found = circles(edges)
    assert not found, "\n".join(_describe(circle, edges, where) for circle in found)


def test_no_app_imports_itself_round_about(graph):
    apps, example = app_graph(*graph)
    found = circles(apps)
    assert not found, "\n".join(
        "app circle: " + ", ".join(circle) + "\n" + "\n".join(f"    {example[(a, b)]}" for a in circle for b in sorted(apps[a]) if b in circle)
        for circle in found
    )


def test_every_app_has_a_floor(graph):
    apps, _ = app_graph(*graph)
    declared = {app for names in FLOORS for app in names}
    assert set(apps) - declared == set(), "give each new app a floor in FLOORS (tests/config/test_import_circles.py)"


def test_apps_import_only_their_floor_and_below(graph):
    apps, example = app_graph(*graph)
    assert layer_breaches(apps, example) == []


def test_moderation_imports_no_content_app(graph):
    """Moderation knows content only through moderation.registry, which the content apps fill."""
    apps, example = app_graph(*graph)
    assert apps["moderation"] <= {"commons", "peers"}, [example[("moderation", b)] for b in apps["moderation"] - {"commons", "peers"}]


# --- the checker itself, on a project made up for it -------------------------------------------------


def _project(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


def test_the_checker_finds_a_circle_hidden_inside_a_function(tmp_path):
    root = _project(tmp_path, {
        "peers/__init__.py": "",
        "peers/services.py": "from forum import services\n",
        "forum/__init__.py": "",
        "forum/services.py": "def post():\n    from peers.services import notify\n",
        "forum/views.py": "from . import services\n",
    })
    edges, where = import_graph(root)
    assert circles(edges) == [["forum.services", "peers.services"]]
    assert where[("forum.services", "peers.services")] == "forum/services.py:2"
    assert edges["forum.views"] == {"forum.services"}  # a relative import
    apps, example = app_graph(edges, where)
    assert circles(apps) == [["forum", "peers"]]
    assert layer_breaches(apps, example) == ["peers (floor 1) imports forum (floor 3), above it: peers.services -> forum.services (peers/services.py:1)"]


def test_the_checker_lets_a_floor_import_downwards(tmp_path):
    root = _project(tmp_path, {
        "commons/__init__.py": "",
        "moderation/__init__.py": "import commons\n",
        "moderation/registry.py": "",
        "forum/__init__.py": "",
        "forum/apps.py": "def ready():\n    from moderation import registry\n",
    })
    edges, where = import_graph(root)
    apps, example = app_graph(edges, where)
    assert circles(edges) == [] and circles(apps) == [] and layer_breaches(apps, example) == []
