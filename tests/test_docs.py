"""The README and the deployment manifests stay true to the code.

- README.md starts with `make run` and `make test` (.ci/run depends on the second);
- every setting of bot/core/config.py is a row of the README's configuration table, by its
  environment name, with its default;
- every `kulturbot` command the CLI has is named in the README;
- every repository path the README names exists;
- every benchmark `make bench` knows (bench/__main__.py) is in the README's benchmark table;
- deploy/slack-manifest.yaml parses, subscribes to the events and the slash command the Slack
  adapter listens for, and grants the scopes for the Web API methods it calls;
- deploy/teams/manifest.json parses and offers the bot in personal chat, teams and group chats.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import typer.main
import yaml
from pydantic import AliasChoices

from bot.cli import app
from bot.core.config import Settings

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
SLACK_MANIFEST = ROOT / "deploy" / "slack-manifest.yaml"
TEAMS_MANIFEST = ROOT / "deploy" / "teams" / "manifest.json"
SLACK_ADAPTER = ROOT / "bot" / "slack"

# Slack Web API method (as slack_sdk names it) → the bot scopes it needs. A method the adapter
# starts to call that is not listed here fails the test: add it, and its scope to the manifest.
SCOPES_FOR_METHOD: dict[str, set[str]] = {
    "chat_postMessage": {"chat:write"},
    "chat_postEphemeral": {"chat:write"},
    "chat_update": {"chat:write"},
    "users_info": {"users:read"},
    "conversations_members": {"channels:read", "groups:read"},
    "conversations_open": {"im:write"},
    "files_upload_v2": {"files:write"},
    "views_open": set(),
    # after an unrecorded attempt the deliverer looks for its message by key before posting again
    "conversations_history": {"channels:history", "groups:history", "im:history"},
    "conversations_replies": {"channels:history", "groups:history", "im:history"},
}
SCOPES_FOR_EVENT = {
    "message.im": "im:history", "message.channels": "channels:history", "message.groups": "groups:history",
    "message.mpim": "mpim:history", "app_mention": "app_mentions:read", "app_home_opened": None,
}


def readme_section(title: str) -> str:
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", README, re.MULTILINE | re.DOTALL)
    assert match, f"README has no '## {title}' section"
    return match.group(1)


def table_rows(section: str) -> list[list[str]]:
    """Cells of each Markdown table row (a `\\|` inside a cell is not a cell border)."""
    rows = []
    for line in section.splitlines():
        if line.startswith("|") and not re.match(r"^\|\s*-", line):
            rows.append([cell.strip() for cell in re.split(r"(?<!\\)\|", line.strip().strip("|"))])
    return rows


def env_names(field: Any) -> list[str]:
    alias = field.validation_alias
    if isinstance(alias, AliasChoices):
        return [str(choice) for choice in alias.choices]
    return [str(alias)]


def shown_default(value: Any) -> str | None:
    """How the README's default column writes a default, or None where it explains it in words."""
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, int):
        return f"`{value}`"
    if isinstance(value, float):
        return f"`{value:g}`"
    if isinstance(value, str):
        return f"`{value}`" if value else "(empty)"
    return None


CONFIG_ROWS = {
    name: row
    for row in table_rows(readme_section("Configuration"))
    for name in re.findall(r"`([^`]+)`", row[0])
}


@pytest.mark.parametrize("field_name", sorted(Settings.model_fields))
def test_every_setting_is_in_the_configuration_table_with_its_default(field_name: str) -> None:
    field = Settings.model_fields[field_name]
    primary, *others = env_names(field)
    assert primary in CONFIG_ROWS, f"README configuration table lacks {primary} ({field_name})"
    row = CONFIG_ROWS[primary]
    for other in others:
        assert other in CONFIG_ROWS and CONFIG_ROWS[other] is row, f"{other} belongs in the row of {primary}"
    default = shown_default(field.default)
    if default is not None:
        assert row[1] == default or row[1].startswith(default + " "), (
            f"{primary}: README says default {row[1]!r}, bot/core/config.py says {default}"
        )
    assert row[2], f"{primary}: say what it means"


def test_the_configuration_table_names_no_setting_that_does_not_exist() -> None:
    known = {name for field in Settings.model_fields.values() for name in env_names(field)}
    first_cells = {re.findall(r"`([^`]+)`", row[0])[0] for row in table_rows(readme_section("Configuration"))
                   if re.findall(r"`([^`]+)`", row[0])}
    assert first_cells - known == set()


def cli_commands() -> list[str]:
    def walk(command: Any, path: str) -> list[str]:
        found = [path]
        for name, sub in (getattr(command, "commands", None) or {}).items():
            found += walk(sub, f"{path} {name}")
        return found

    return walk(typer.main.get_command(app), "kulturbot")[1:]


@pytest.mark.parametrize("command", cli_commands())
def test_every_cli_command_is_in_the_readme(command: str) -> None:
    assert re.search(rf"`{re.escape(command)}[` ]", README), f"README does not document `{command}`"


def test_readme_starts_with_make_run_and_make_test() -> None:
    first_block = re.search(r"```[^\n]*\n(.*?)```", README, re.DOTALL)
    assert first_block and README.index("```") < README.index("\n## "), "the commands come first"
    commands = [line.split("#")[0].strip() for line in first_block.group(1).splitlines() if line.strip()]
    assert commands[:2] == ["make run", "make test"]
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^run:", makefile, re.MULTILINE) and re.search(r"^test:", makefile, re.MULTILINE)
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def test_every_path_the_readme_names_exists() -> None:
    named = set(re.findall(r"`((?:bot|handlers|knowledge|scheduler|bench|tests|deploy)/[\w./-]*)`", README))
    named |= set(re.findall(r"\]\(((?:bot|handlers|knowledge|scheduler|bench|tests|deploy)/[\w./-]*)\)", README))
    assert named, "the README names the modules"
    missing = sorted(path for path in named if not (ROOT / path).exists())
    assert missing == []


def test_every_benchmark_is_in_the_readme_and_runs_as_it_says() -> None:
    named = set(re.findall(r"python -m bench\.([a-z_]+)", README))
    from bench.__main__ import BENCHMARKS  # the registry behind `make bench`

    assert named == set(BENCHMARKS), f"README's benchmark table and bench/__main__.py differ: {named ^ set(BENCHMARKS)}"
    for name in named:
        assert (ROOT / "bench" / f"{name}.py").exists(), name
    assert "make bench" in README and re.search(r"^bench:", (ROOT / "Makefile").read_text(), re.MULTILINE)


# --- Slack -----------------------------------------------------------------------------------

def slack_manifest() -> dict[str, Any]:
    return yaml.safe_load(SLACK_MANIFEST.read_text(encoding="utf-8"))


def adapter_source() -> str:
    return "\n".join(path.read_text(encoding="utf-8") for path in sorted(SLACK_ADAPTER.glob("*.py")))


def test_slack_manifest_subscribes_to_every_event_the_adapter_handles() -> None:
    manifest = slack_manifest()
    events = set(manifest["settings"]["event_subscriptions"]["bot_events"])
    handled = set(re.findall(r"@app\.event\(\"([\w.]+)\"\)", (SLACK_ADAPTER / "app.py").read_text()))
    assert {"message", "app_mention"} <= handled, "the adapter's listeners were not found"
    for event in handled:
        assert event in events or any(e.startswith(event + ".") for e in events), f"manifest lacks {event}"
    assert "message.im" in events  # questions in the bot's DM
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    for event in events:
        assert event in SCOPES_FOR_EVENT, f"what scope does {event} need?"
        needed = SCOPES_FOR_EVENT[event]
        assert needed is None or needed in scopes, f"{event} needs the scope {needed}"
    assert manifest["features"]["app_home"]["messages_tab_enabled"] is True
    assert manifest["features"]["app_home"]["messages_tab_read_only_enabled"] is False


def test_slack_manifest_has_the_slash_command_and_interactivity_on_the_events_url() -> None:
    manifest = slack_manifest()
    settings = manifest["settings"]
    commands = {c["command"]: c for c in manifest["features"]["slash_commands"]}
    assert "/kulturskole" in commands and re.search(r"\^/kulturskole", (SLACK_ADAPTER / "app.py").read_text())
    assert "commands" in manifest["oauth_config"]["scopes"]["bot"]
    assert settings["interactivity"]["is_enabled"] is True
    urls = [settings["event_subscriptions"]["request_url"], settings["interactivity"]["request_url"],
            commands["/kulturskole"]["url"]]
    assert all(url == "https://YOUR-HOST/slack/events" for url in urls)
    assert settings["socket_mode_enabled"] is False


def test_slack_manifest_grants_the_scopes_of_every_web_api_method_the_adapter_calls() -> None:
    called = set(re.findall(r"client\.(\w+)\(", adapter_source()))
    assert {"chat_postMessage", "chat_update"} <= called, "the adapter's Web API calls were not found"
    unknown = called - set(SCOPES_FOR_METHOD)
    assert unknown == set(), f"add the scopes these methods need to SCOPES_FOR_METHOD and the manifest: {unknown}"
    scopes = set(slack_manifest()["oauth_config"]["scopes"]["bot"])
    for method in called:
        assert SCOPES_FOR_METHOD[method] <= scopes, f"{method} needs {SCOPES_FOR_METHOD[method] - scopes}"


def test_readme_lists_the_manifest_scopes_and_events() -> None:
    manifest = slack_manifest()
    section = readme_section("Connecting a real Slack app")
    for name in manifest["oauth_config"]["scopes"]["bot"] + manifest["settings"]["event_subscriptions"]["bot_events"]:
        assert f"`{name}`" in section, name


# --- Teams -----------------------------------------------------------------------------------

def test_teams_manifest_offers_the_bot_everywhere_it_answers() -> None:
    manifest = json.loads(TEAMS_MANIFEST.read_text(encoding="utf-8"))
    assert manifest["manifestVersion"] in manifest["$schema"]
    [bot] = manifest["bots"]
    assert set(bot["scopes"]) == {"personal", "team", "groupChat"}
    assert bot["botId"] == manifest["id"]
    for icon in manifest["icons"].values():
        assert (TEAMS_MANIFEST.parent / icon).read_bytes().startswith(b"\x89PNG")
    section = readme_section("Connecting a real Teams bot")
    assert "https://YOUR-HOST/api/messages" in section
    for setting in ("MicrosoftAppId", "MicrosoftAppPassword", "MicrosoftAppTenantId"):
        assert setting in section


def test_the_tuned_thresholds_in_the_table_are_the_shipped_ones() -> None:
    from knowledge.retrieval import DEFAULT_ANSWER_THRESHOLD, DEFAULT_SUGGEST_THRESHOLD

    assert CONFIG_ROWS["KB_ANSWER_THRESHOLD"][1] == f"(tuned, {DEFAULT_ANSWER_THRESHOLD:g})"
    assert CONFIG_ROWS["KB_SUGGEST_THRESHOLD"][1] == f"(tuned, {DEFAULT_SUGGEST_THRESHOLD:g})"
