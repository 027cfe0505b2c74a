"""`kulturbot chat`: the console adapter, driven through stdin like a person at a terminal."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_console_chat_answers_and_takes_a_button(tmp_path: Path) -> None:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'chat.db'}"}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "chat"], input="hva er breddeprogrammet\n/1\n/9\n/quit\n",
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120,
    )
    out = result.stdout
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Jeg er Kulturbot" in out                      # the welcome
    assert "HVA ER BREDDEPROGRAMMET?" in out                # the article's title
    assert "[/1] 👍 Nyttig" in out and "[/3] Spør en rådgiver" in out
    assert "Takk for tilbakemeldingen!" in out             # /1 pressed 👍
    assert "Det finnes ingen slik knapp" in out            # /9 does not exist
