"""The layout in DESIGN.md, checked: services never import a web package, the API never
imports a routes module, and no module grows into two ideas."""

import ast
from pathlib import Path

import pytest

SUMMIT = Path(__file__).resolve().parent.parent / "summit"
# The web doors: a blueprint package each (and the API, itself a door).
WEB_PACKAGES = {"api", "auth", "registration", "schedule", "moderators", "badges", "checkin",
                "organiser", "apply", "jury", "stage", "vote"}
MAX_LINES = 420  # "a module over ~400 lines is a sign that it holds two ideas"


def _modules(folder: Path):
    return sorted(p for p in folder.rglob("*.py") if "migrations" not in p.parts)


def _dotted(path: Path) -> list[str]:
    parts = ["summit", *path.relative_to(SUMMIT).with_suffix("").parts]
    return parts[:-1] if parts[-1] == "__init__" else parts


def imported_modules(path: Path) -> set[str]:
    """Every summit module a file imports, absolute and relative imports resolved."""
    here = _dotted(path)
    package = here if path.name == "__init__.py" else here[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[:len(package) - node.level + 1] if node.level else []
            module = base + (node.module.split(".") if node.module else [])
            found.add(".".join(module))
            found.update(".".join(module + [alias.name]) for alias in node.names)
    return {name for name in found if name.split(".")[0] == "summit"}


def test_the_walker_resolves_relative_imports(tmp_path):
    """The checks below are only as good as the resolution of `from ..x import y`."""
    services = SUMMIT / "services" / "registrations" / "signup.py"
    modules = imported_modules(services)
    assert "summit.extensions" in modules
    assert "summit.services.mail.compose" in modules or "summit.services.mail" in modules


@pytest.mark.parametrize("path", _modules(SUMMIT / "services"), ids=lambda p: str(p.name))
def test_no_service_imports_a_web_package(path):
    web = {name for name in imported_modules(path)
           if len(name.split(".")) > 1 and name.split(".")[1] in WEB_PACKAGES}
    assert not web, f"{path.relative_to(SUMMIT)} imports the web door(s) {sorted(web)}"


@pytest.mark.parametrize("path", _modules(SUMMIT / "api"), ids=lambda p: str(p.name))
def test_the_api_imports_no_routes_module(path):
    routes = {name for name in imported_modules(path)
              if name.split(".")[1:2] != ["api"] and "routes" in name.split(".")[2:]
              or name.split(".")[-1].endswith("_routes")}
    assert not routes, f"{path.relative_to(SUMMIT)} imports {sorted(routes)}"


def test_no_module_holds_two_ideas():
    long = {str(p.relative_to(SUMMIT)): n for p in _modules(SUMMIT)
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert not long, f"modules over {MAX_LINES} lines: {long}"
