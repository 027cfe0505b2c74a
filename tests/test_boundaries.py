"""The platform-neutral core stays neutral: no platform SDK below the adapters."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SDKS = ("slack_bolt", "slack_sdk", "botbuilder", "botframework", "msrest")
NEUTRAL = ("handlers", "knowledge", "scheduler", "bot/core")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_neutral_packages_import_no_platform_sdk() -> None:
    offenders = []
    files = [p for folder in NEUTRAL for p in (ROOT / folder).rglob("*.py")]
    assert len(files) > 20  # the scan really looked at the code
    for path in files:
        for module in imported_modules(path):
            if module.split(".")[0] in SDKS:
                offenders.append(f"{path.relative_to(ROOT)} imports {module}")
    assert offenders == []


def test_botbuilder_lives_only_in_the_teams_adapter() -> None:
    outside = []
    for path in ROOT.glob("bot/**/*.py"):
        if "teams" in path.relative_to(ROOT).parts:
            continue
        if any(m.split(".")[0] in ("botbuilder", "botframework", "msrest") for m in imported_modules(path)):
            outside.append(str(path.relative_to(ROOT)))
    assert outside == []
