"""The log rule of tests/conftest.py: a WARNING or ERROR record fails the test in setup, call and teardown."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

SUITE = '''
import logging
import pytest

from tests.conftest import fail_on_unexpected_logs, onewindow_home  # noqa: F401

log = logging.getLogger("probe")


@pytest.fixture
def warns_in_setup():
    log.warning("setting up went oddly")


@pytest.fixture
def warns_in_teardown():
    yield
    log.warning("tearing down went oddly")


def test_setup(warns_in_setup):
    pass


def test_call():
    log.warning("the call went oddly")


def test_teardown(warns_in_teardown):
    pass


def test_error_in_teardown(request):
    request.addfinalizer(lambda: log.error("teardown broke"))


@pytest.mark.expect_warning_log
def test_expected_warning():
    log.warning("said and expected")


@pytest.mark.expect_warning_log
def test_an_error_is_not_a_warning():
    log.error("not allowed by expect_warning_log")


def test_info_is_fine():
    log.info("all well")
'''


def test_unexpected_records_fail_the_test_in_every_phase(tmp_path: Path) -> None:
    (tmp_path / "test_probe.py").write_text(textwrap.dedent(SUITE), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", str(tmp_path), "-q", "-p", "no:cacheprovider", "-c",
         str(ROOT / "pyproject.toml"), "--rootdir", str(ROOT), "-rA"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    # -rA lists each test's call (PASSED) and then, when the log rule failed it in teardown, an ERROR line.
    outcome = {match[2]: match[1] for match in re.finditer(r"^(PASSED|FAILED|ERROR) test_probe\.py::(\w+)",
                                                          result.stdout, re.MULTILINE)}
    assert outcome == {
        "test_setup": "ERROR", "test_call": "ERROR", "test_teardown": "ERROR", "test_error_in_teardown": "ERROR",
        "test_expected_warning": "PASSED", "test_an_error_is_not_a_warning": "ERROR", "test_info_is_fine": "PASSED",
    }, result.stdout
