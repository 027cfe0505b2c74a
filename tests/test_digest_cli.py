"""`kulturbot report` and `kulturbot report tickets` over the known history."""

from __future__ import annotations

import asyncio
import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app
from bot.core.clock import SystemClock
from bot.core.database import Database
from handlers.digest import chart
from handlers.digest.export import _safe
from tests.digest_history import NOW, seed
from tests.pngcheck import read_png

WEEK = ["--from", "2026-11-23", "--to", "29.11.2026"]


@pytest.fixture
def cli(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    async def prepare() -> None:
        db = Database(sqlite_url)
        await db.upgrade()
        await seed(db)
        await db.dispose()

    asyncio.run(prepare())
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    monkeypatch.setenv("KB_PATH", "tests/fixtures/kb_small")
    monkeypatch.setenv("WORKSPACE_NAMES", "T0001=Eksempel kommune,T0002=Annen kommune")
    monkeypatch.setattr(SystemClock, "now", lambda self: NOW)
    return CliRunner()


def run(cli: CliRunner, *args: str) -> str:
    result = cli.invoke(app, ["report", *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_the_report_as_text_json_and_csv(cli: CliRunner, tmp_path: Path) -> None:
    text = run(cli, *WEEK, "--chart", str(tmp_path / "chart.png"))
    assert text.startswith("UKERAPPORT UKE 48\n23.11.2026–29.11.2026 · sammenlignet med 16.11.2026–22.11.2026\n")
    assert "22 spørsmål (↑ 38 %) · 13 besvart av boten (59 %)" in text
    assert "Svar innen 48 timer: 5 av 7 (71 %) (↓ 9 poeng)" in text
    png = read_png((tmp_path / "chart.png").read_bytes())
    assert (png.width, png.height) == (chart.WIDTH, chart.HEIGHT)

    data = json.loads(run(cli, *WEEK, "--format", "json"))
    assert data["title"] == "Ukerapport uke 48"
    assert data["activity"]["questions"] == 22 and data["before"]["questions"] == 16
    assert (data["promise"]["kept"], data["promise"]["due"], data["promise"]["share"]) == (5, 7, 5 / 7)
    assert data["article_titles"]["breddeprogram"] == "Hva er breddeprogrammet?"
    assert data["workspace_names"] == {"T0001": "Eksempel kommune", "T0002": "Annen kommune"}
    assert data["gaps"][0] == {"label": "Organisering av kulturskolen i kommunen", "count": 4}

    rows = {row[0]: row[1:] for row in csv.reader(io.StringIO(run(cli, *WEEK, "--format", "csv").lstrip("\ufeff")),
                                                  delimiter=";")}
    assert rows["tall"] == ["verdi", "forrige periode"]
    assert rows["questions"] == ["22", "16"]
    assert rows["tickets_opened"] == ["9", "8"]
    assert rows["promise_share_percent"] == ["71,4", "80,0"]
    assert rows["first_answer_median_hours"] == ["39,0", "24,0"]  # week 47: 1, 2, 24, 24, 72 h
    assert rows["open_now"] == ["5", ""]

    only = json.loads(run(cli, *WEEK, "--format", "json", "--workspace", "T0002"))
    assert only["activity"]["questions"] == 3


def test_the_tickets_export(cli: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "saker.csv"
    run(cli, "tickets", *WEEK, "--output", str(out))
    raw = out.read_bytes().decode("utf-8")
    assert raw.startswith("\ufeffsak;kommune;plattform;status;opprettet;frist;første svar;svartid (timer);"
                          "innen fristen;brudd;saksbehandler;emne;rute;løst;lukket;opphav\r\n")
    rows = {row[0]: row for row in csv.reader(io.StringIO(raw.lstrip("\ufeff")), delimiter=";")}
    assert sorted(rows) == ["1004", "1005", "1006", "1007", "1008", "1009", "1010", "1011", "1012", "sak"]
    assert rows["1004"] == ["1004", "Eksempel kommune", "slack", "resolved", "2026-11-23 10:00", "2026-11-25 10:00",
                            "2026-11-23 16:20", "6,3", "ja", "nei", "Ola Rådgiver", "", "default",
                            "2026-11-24 11:00", "", "escalate"]
    assert rows["1005"][3:10] == ["claimed", "2026-11-24 11:00", "2026-11-26 11:00", "", "", "nei", "ja"]
    assert rows["1006"][8:10] == ["", "nei"]  # withdrawn in time: no verdict, no breach
    assert rows["1008"][7:10] == ["34,0", "ja", "nei"]  # 36 h less 2 h paused
    assert rows["1010"][8:10] == ["", "nei"]  # not due yet

    plain = run(cli, "tickets", *WEEK, "--workspace", "T0002", "--plain", "--with-text")
    assert plain.splitlines() == [
        "sak,kommune,plattform,status,opprettet,frist,første svar,svartid (timer),innen fristen,brudd,saksbehandler,"
        "emne,rute,løst,lukket,opphav,spørsmål",
        "1009,Annen kommune,slack,answered,2026-11-27 11:00,2026-11-29 11:00,2026-11-29 10:00,47.0,ja,nei,"
        "Ola Rådgiver,,default,,,escalate,spørsmål",
    ]


def test_bad_dates_are_refused_plainly(cli: CliRunner) -> None:
    for args in ([], ["--from", "2026-11-30", "--to", "2026-11-01"], ["--from", "30.2.2026", "--to", "1.3.2026"]):
        result = cli.invoke(app, ["report", *args])
        assert result.exit_code == 2
        assert result.output.startswith("kulturbot report: ")


def test_formulas_are_defused() -> None:
    assert _safe("=HYPERLINK(\"http://x\")") == "'=HYPERLINK(\"http://x\")"
    assert _safe("@SUM(A1)") == "'@SUM(A1)"
    assert _safe("-3,5") == "-3,5" and _safe("Kari") == "Kari"
