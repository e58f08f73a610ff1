"""The progress page in a real headless browser (the distribution's Chromium) against a real server on loopback:
it reads the ticket's live state as a department completes a stage, refuses a wrong code, and says so when the
limit is reached. Skipped, with the reason, where no Chromium is installed."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from domain import progress
from tests.backend.desk import FIXED_NOW, Desk
from tests.backend.test_progress import accept
from tests.backend.test_workflow import move, tasks_of
from tests.harness.processes import ServerProcess, serving

BROWSER = next((found for name in ("chromium", "chromium-browser") if (found := shutil.which(name))), None)
pytestmark = pytest.mark.skipif(BROWSER is None, reason="no Chromium installed (Debian/Ubuntu: apt-get install chromium)")


def chromium(*args: str, profile: Path) -> subprocess.CompletedProcess[str]:
    """One headless Chromium run with a profile of its own (no sandbox: the tests may run as root)."""
    assert BROWSER is not None
    return subprocess.run(
        [BROWSER, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
         f"--user-data-dir={profile}", *args],
        capture_output=True, text=True, timeout=120, check=False)


def dom(url: str, profile: Path) -> str:
    done = chromium("--dump-dom", url, profile=profile)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    env = {"ONEWINDOW_PROGRESS_PER_ADDRESS": "5", "ONEWINDOW_PROGRESS_MISSES": "1", "ONEWINDOW_PROGRESS_OVERALL": "100"}
    with serving("sqlite", tmp_path_factory.mktemp("progress-browser"), env=env) as (process,):
        process.set_clock(FIXED_NOW)
        yield process


def test_the_browser_shows_live_progress_then_refuses_a_wrong_code_then_the_limit(
        server: ServerProcess, tmp_path: Path) -> None:
    clerk, marketing = Desk(server.url, "clerk_a"), Desk(server.url, "marketing_a")
    try:
        code = progress.new_code()
        ticket = accept(clerk, code)
        url = progress.page_url(server.url, code)
        before = dom(url, tmp_path / "profile")
        assert "办理进度" in before and ticket["ticket_number"] in before and "低压居民新装" in before
        assert "<li class=\"working\"><span class=\"name\">现场勘查</span><span class=\"badge\">办理中</span>" in before

        survey = tasks_of(marketing, ticket["entity_id"])["survey"]
        taken = move(marketing, "stage_task", survey, "taken")
        assert move(marketing, "stage_task", taken["record"], "done")["status"] == "applied"
        after = dom(url, tmp_path / "profile")
        assert "<li class=\"done\"><span class=\"name\">现场勘查</span><span class=\"badge\">已完成</span>" in after

        wrong = dom(progress.page_url(server.url, progress.new_code()), tmp_path / "profile")
        assert "未查到与该查询码对应的办理记录" in wrong and ticket["ticket_number"] not in wrong

        limited = dom(url, tmp_path / "profile")  # the address has used its one wrong code: it waits now
        assert "查询过于频繁" in limited and ticket["ticket_number"] not in limited
    finally:
        clerk.close()
        marketing.close()
