"""The lock (uv.lock) keeps the runtime dependencies apart from the development tools: `make run`
and the production image install the runtime ones alone, `make test` both."""

import re
import tomllib
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
# Test and lint tools, and what they bring along, that production must not carry.
DEVELOPMENT_TOOLS = {
    "pytest",
    "pytest-django",
    "pytest-xdist",
    "pytest-playwright",
    "playwright",
    "factory-boy",
    "faker",
    "ruff",
    "import-linter",
}


def lock():
    return tomllib.loads((PROJECT / "uv.lock").read_text())


def installed_with(packages: dict, roots: list[dict]) -> set[str]:
    """Every package the lock installs for the given requirements (extras included)."""
    seen: set[str] = set()
    todo = list(roots)
    while todo:
        requirement = todo.pop()
        package = packages[requirement["name"]]
        todo += [r for extra in requirement.get("extra", []) for r in package["optional"][extra]]
        if requirement["name"] not in seen:
            seen.add(requirement["name"])
            todo += package["dependencies"]
    return seen


def locked_packages():
    packages = {
        p["name"]: {
            "dependencies": p.get("dependencies", []),
            "optional": p.get("optional-dependencies", {}),
            "dev": p.get("dev-dependencies", {}).get("dev", []),
        }
        for p in lock()["package"]
    }
    project = tomllib.loads((PROJECT / "pyproject.toml").read_text())["project"]
    return packages, packages[project["name"]]


def test_the_runtime_dependencies_bring_no_test_or_lint_tool():
    packages, portal = locked_packages()

    runtime = installed_with(packages, portal["dependencies"])

    assert {"django", "celery", "weasyprint", "gunicorn"} <= runtime
    assert not runtime & DEVELOPMENT_TOOLS


def test_the_development_group_brings_the_test_and_lint_tools():
    packages, portal = locked_packages()

    assert installed_with(packages, portal["dev"]) >= DEVELOPMENT_TOOLS


def test_make_run_and_the_production_image_install_the_runtime_dependencies_alone():
    makefile = (PROJECT / "Makefile").read_text()
    dockerfile = (PROJECT / "Dockerfile").read_text()

    runtime = re.search(r"^\$\(VENV\)/\.runtime:.*\n\t(.*)$", makefile, re.MULTILINE).group(1)
    assert re.search(r"\bsync --locked --no-dev\b", runtime)
    assert re.search(r"^run: setup$", makefile, re.MULTILINE)
    assert "$(VENV)/.runtime" in re.search(r"^setup: (.*)$", makefile, re.MULTILINE).group(1)
    assert re.search(r"uv sync --locked --no-dev\b", dockerfile)
    # No pip install of anything else, and the local environment stays out of the image.
    assert "pip install --no-cache-dir uv==" in dockerfile
    assert len(re.findall(r"pip install", dockerfile)) == 1
    assert {".venv", ".uv"} <= set((PROJECT / ".dockerignore").read_text().split())
