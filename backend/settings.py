"""Server settings, read once at start-up from arguments and the environment."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from domain.records import ATTACHMENT_MAX_BYTES

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(UTC)


def database_url(value: str) -> str:
    """Accept a SQLAlchemy URL or a plain SQLite file path."""
    if "://" in value:
        if value.startswith("postgresql://"):
            return "postgresql+psycopg://" + value.removeprefix("postgresql://")
        return value
    return f"sqlite:///{Path(value).expanduser().resolve()}"


@dataclass(frozen=True)
class Settings:
    db_url: str
    channel_key: str | None = None
    monitoring_key: str | None = None  # the power-quality monitoring system's key (ONEWINDOW_MONITORING_KEY)
    test_clock: bool = False
    clock: Clock = system_clock
    access_ttl: timedelta = timedelta(minutes=15)
    refresh_idle: timedelta = timedelta(hours=12)
    refresh_absolute: timedelta = timedelta(days=7)
    login_failures_allowed: int = 5  # per user name from one address
    login_failures_per_user: int = 50  # per user name from anywhere
    login_failures_per_address: int = 20  # per client address, whatever the name (loopback excepted)
    login_lockout: timedelta = timedelta(seconds=60)
    max_body_bytes: int = 8 * 1024 * 1024
    body_idle_seconds: float = 30.0  # longest pause between parts of a request body
    body_total_seconds: float = 300.0  # longest a request body may take in all (a 4 MiB chunk on a slow link)
    attachment_max_bytes: int = ATTACHMENT_MAX_BYTES
    attachment_types: frozenset[str] = field(
        default_factory=lambda: frozenset({"image/jpeg", "image/png", "application/pdf", "application/octet-stream"})
    )
    events_poll_seconds: float = 0.2
    timers_poll_seconds: float = 1.0
    outage_predict_seconds: float = 5.0  # how often repair calls are rolled up into predicted outages
    ping_seconds: float = 15.0
    sms_gateway: str = "recording"  # a name in backend.sms.GATEWAYS
    sms_code_ttl: timedelta = timedelta(minutes=5)
    sms_max_attempts: int = 5
    sms_resend_after: timedelta = timedelta(seconds=60)  # per customer, from the last code sent
    sms_sends_per_hour: int = 5  # per customer
    sms_sends_per_staff: int = 10  # per staff member within sms_sender_window
    sms_sends_per_address: int = 30  # per client address within sms_sender_window (loopback excepted)
    sms_sender_window: timedelta = timedelta(minutes=10)
    presence_window: timedelta = timedelta(seconds=30)
    # ---- customer notifications (docs/notifications.md) ----
    sms_http_url: str | None = None  # the http gateway's address (ONEWINDOW_SMS_URL)
    sms_http_token: str | None = None  # its bearer token (ONEWINDOW_SMS_TOKEN), never logged
    sms_http_timeout: float = 10.0
    notification_poll_seconds: float = 1.0  # how often the sender looks for queued messages
    notification_max_attempts: int = 6  # transient gateway failures before a message is given up as failed
    notification_retry_base: timedelta = timedelta(seconds=30)  # then 60 s, 120 s ... (doubling)
    notification_lease: timedelta = timedelta(minutes=2)  # a send not finished by then is handed over again

    # ---- the customer's progress lookup (docs/progress-lookup.md) ----
    metrics_token: str | None = None  # GET /metrics from other than loopback (ONEWINDOW_METRICS_TOKEN), never logged
    public_url: str | None = None  # where customers reach this server (ONEWINDOW_PUBLIC_URL); else the request's
    progress_per_address: int = 30  # lookups per client address within progress_window
    progress_overall: int = 600  # lookups from everyone within progress_window
    progress_window: timedelta = timedelta(minutes=1)
    progress_misses_per_address: int = 10  # wrong codes per client address within progress_miss_window
    progress_miss_window: timedelta = timedelta(minutes=10)

    @classmethod
    def from_env(cls, db: str | None = None, **overrides: object) -> Settings:
        raw = db or os.environ.get("ONEWINDOW_DB")
        if not raw:
            raise SystemExit("no database: pass --db or set ONEWINDOW_DB")
        channel_key = os.environ.get("ONEWINDOW_CHANNEL_KEY") or None
        values: dict[str, object] = {"db_url": database_url(raw), "channel_key": channel_key}
        if os.environ.get("ONEWINDOW_MONITORING_KEY"):
            values["monitoring_key"] = os.environ["ONEWINDOW_MONITORING_KEY"]
        if os.environ.get("ONEWINDOW_BODY_TIMEOUT"):
            values["body_idle_seconds"] = float(os.environ["ONEWINDOW_BODY_TIMEOUT"])
        if os.environ.get("ONEWINDOW_EVENTS_POLL_SECONDS"):  # the live events' fallback poll (tests lengthen it)
            values["events_poll_seconds"] = float(os.environ["ONEWINDOW_EVENTS_POLL_SECONDS"])
        if os.environ.get("ONEWINDOW_METRICS_TOKEN"):
            values["metrics_token"] = os.environ["ONEWINDOW_METRICS_TOKEN"]
        if os.environ.get("ONEWINDOW_SMS_GATEWAY"):
            values["sms_gateway"] = os.environ["ONEWINDOW_SMS_GATEWAY"]
        if os.environ.get("ONEWINDOW_SMS_URL"):
            values["sms_http_url"] = os.environ["ONEWINDOW_SMS_URL"]
        if os.environ.get("ONEWINDOW_SMS_TOKEN"):
            values["sms_http_token"] = os.environ["ONEWINDOW_SMS_TOKEN"]
        if os.environ.get("ONEWINDOW_NOTIFICATION_POLL_SECONDS"):  # tests shorten it
            values["notification_poll_seconds"] = float(os.environ["ONEWINDOW_NOTIFICATION_POLL_SECONDS"])
        for name, setting in (("ONEWINDOW_PROGRESS_PER_ADDRESS", "progress_per_address"),
                              ("ONEWINDOW_PROGRESS_OVERALL", "progress_overall"),
                              ("ONEWINDOW_PROGRESS_MISSES", "progress_misses_per_address")):
            if os.environ.get(name):  # the progress page's limits per minute (per 10 minutes for misses)
                values[setting] = int(os.environ[name])
        if os.environ.get("ONEWINDOW_PUBLIC_URL"):
            from domain.errors import DomainError
            from domain.progress import check_base_url

            try:  # a bad address stops the start with its reason
                values["public_url"] = check_base_url(os.environ["ONEWINDOW_PUBLIC_URL"])
            except DomainError as error:
                raise SystemExit(f"ONEWINDOW_PUBLIC_URL: {error.message_zh} / {error.message_en}") from None
        values.update(overrides)
        return cls(**values)  # type: ignore[arg-type]
