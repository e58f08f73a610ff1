"""Offline login against a real encrypted store: allowed for recent online logins here, refused otherwise."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from argon2 import PasswordHasher

from desktop.login import login_failure_text
from desktop.offline_login import OfflineLoginRefused, offline_login, remember_online_login
from desktop.sync.errors import AuthFailed, Offline
from local_store import Store
from tests.desktop.shell.conftest import NOW, fast_hasher

STAFF = {"id": "staff-1", "office_id": "office-s", "version": 1, "username": "clerk1", "display_name": "王小明",
         "role": "clerk", "active": True}


@pytest.fixture
def hasher() -> PasswordHasher:
    return fast_hasher()


@pytest.fixture
def remembered(store: Store, hasher: PasswordHasher) -> Store:
    remember_online_login(store, "clerk1", "demo1234", STAFF, ["office:office-s", "calendar"], now=NOW, hasher=hasher)
    return store


def test_the_store_keeps_a_slow_hash_not_the_password(remembered: Store) -> None:
    record = json.loads(remembered.get_meta("offline_login/clerk1") or "")
    assert record["hash"].startswith("$argon2id$")
    assert "demo1234" not in json.dumps(record)
    assert record["staff"] == STAFF and record["scopes"] == ["office:office-s", "calendar"]


def test_recent_online_login_allows_offline_login(remembered: Store, hasher: PasswordHasher) -> None:
    session = offline_login(remembered, "clerk1", "demo1234", now=NOW + timedelta(days=6, hours=23), max_days=7,
                            hasher=hasher)
    assert session.staff == STAFF
    assert session.scopes == ["office:office-s", "calendar"]
    assert session.online_login_at == NOW
    # User names are matched the way the clerk types them.
    assert offline_login(remembered, " Clerk1 ", "demo1234", now=NOW, max_days=7, hasher=hasher).staff == STAFF


@pytest.mark.parametrize(("username", "password", "days_later", "reason"), [
    ("clerk1", "demo1234", 8, "too_old"),
    ("hotline1", "demo1234", 0, "never_here"),
    ("clerk1", "Demo1234", 0, "wrong_password"),
])
def test_offline_login_refused(remembered: Store, hasher: PasswordHasher, username: str, password: str,
                               days_later: int, reason: str) -> None:
    with pytest.raises(OfflineLoginRefused) as refused:
        offline_login(remembered, username, password, now=NOW + timedelta(days=days_later), max_days=7, hasher=hasher)
    assert refused.value.reason == reason


def test_zero_days_forbids_offline_login_the_next_day(remembered: Store, hasher: PasswordHasher) -> None:
    with pytest.raises(OfflineLoginRefused):
        offline_login(remembered, "clerk1", "demo1234", now=NOW + timedelta(days=1), max_days=0, hasher=hasher)


def test_a_later_online_login_renews_the_window(remembered: Store, hasher: PasswordHasher) -> None:
    later = NOW + timedelta(days=10)
    remember_online_login(remembered, "clerk1", "new-password", STAFF, ["office:office-s"], now=later, hasher=hasher)
    assert offline_login(remembered, "clerk1", "new-password", now=later + timedelta(days=1), max_days=7,
                         hasher=hasher).scopes == ["office:office-s"]
    with pytest.raises(OfflineLoginRefused):
        offline_login(remembered, "clerk1", "demo1234", now=later, max_days=7, hasher=hasher)


def test_a_damaged_record_counts_as_never_here(store: Store) -> None:
    store.set_meta("offline_login/clerk1", "{not json")
    with pytest.raises(OfflineLoginRefused) as refused:
        offline_login(store, "clerk1", "x", now=NOW, max_days=7)
    assert refused.value.reason == "never_here"


def test_every_failure_has_its_own_sentence() -> None:
    texts = {
        "wrong": login_failure_text(AuthFailed("invalid_credentials")),
        "disabled": login_failure_text(AuthFailed("account_disabled")),
        "unreachable": login_failure_text(Offline()),
        "never": login_failure_text(OfflineLoginRefused("never_here", days=7)),
        "old": login_failure_text(OfflineLoginRefused("too_old", days=7)),
        "offline_wrong": login_failure_text(OfflineLoginRefused("wrong_password", days=7)),
    }
    assert texts["wrong"] == "用户名或密码不正确。"
    assert "停用" in (texts["disabled"] or "")
    assert "无法连接服务器" in (texts["unreachable"] or "")
    assert "从未在这台电脑上在线登录" in (texts["never"] or "")
    assert "超过 7 天" in (texts["old"] or "")
    assert "密码不正确" in (texts["offline_wrong"] or "")
    assert len(set(texts.values())) == len(texts)
    assert login_failure_text(RuntimeError("bug")) is None
