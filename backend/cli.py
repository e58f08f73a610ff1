"""`onewindow-server`: migrate, seed-demo, create-user, set-password, disable-user, enable-user,
rebuild-efficiency, serve."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from backend import log_format
from backend.settings import Settings, database_url

if TYPE_CHECKING:
    from fastapi import FastAPI


def _db_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        default=os.environ.get("ONEWINDOW_DB"),
        help="a SQLite file path or a postgresql:// URL (default: $ONEWINDOW_DB)",
    )


def _need_db(args: argparse.Namespace) -> str:
    if not args.db:
        raise SystemExit("no database: pass --db or set ONEWINDOW_DB")
    return database_url(args.db)


def _password_args(parser: argparse.ArgumentParser) -> None:
    secret = parser.add_mutually_exclusive_group(required=True)
    secret.add_argument("--password")
    secret.add_argument("--password-stdin", action="store_true", help="read the password from the first line of stdin")


def _password(args: argparse.Namespace) -> str:
    password: str = sys.stdin.readline().rstrip("\n") if args.password_stdin else args.password
    return password


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="onewindow-server", description="OneWindow sync server")
    commands = parser.add_subparsers(dest="command", required=True)
    migrate = commands.add_parser("migrate", help="create or upgrade the database schema")
    _db_arg(migrate)
    seed = commands.add_parser("seed-demo", help="load a realistic demo office")
    _db_arg(seed)
    seed.add_argument("--customers", type=int, default=200, help="customers per office")
    seed.add_argument("--seed", type=int, default=1)
    user = commands.add_parser("create-user", help="create a staff account")
    _db_arg(user)
    user.add_argument("--username", required=True)
    user.add_argument("--role", required=True)
    user.add_argument("--office", required=True, help="office id or code (must exist unless --new-office)")
    user.add_argument("--new-office", action="store_true", help="create the office if it does not exist")
    user.add_argument("--department")
    user.add_argument("--display-name")
    _password_args(user)
    again = commands.add_parser("set-password", help="set a staff member's password and end their sessions")
    _db_arg(again)
    again.add_argument("--username", required=True)
    _password_args(again)
    for name, what in (("disable-user", "disable an account and end its sessions"),
                       ("enable-user", "enable a disabled account")):
        toggle = commands.add_parser(name, help=what)
        _db_arg(toggle)
        toggle.add_argument("--username", required=True)
    saved = commands.add_parser("backup", help="write a consistent copy of the database while the server runs")
    _db_arg(saved)
    saved.add_argument("--to", required=True, help="the new backup file (never overwritten)")
    back = commands.add_parser("restore", help="put a backup into an empty database (stop the servers on it first) "
                                             "and migrate it to this version's schema")
    _db_arg(back)
    back.add_argument("--from", dest="source", required=True, help="a file `backup` wrote")
    back.add_argument("--replace", action="store_true", help="overwrite a database that holds data")
    rebuild = commands.add_parser("rebuild-efficiency",
                                  help="recompute the efficiency monitor's indicator sums from the raw records")
    _db_arg(rebuild)
    rebuild.add_argument("--office", action="append", help="only this office (id or code); repeatable")
    point = commands.add_parser("pq-point", help="register or change an important customer's power-quality "
                                                 "monitoring point")
    _db_arg(point)
    point.add_argument("--id", required=True)
    point.add_argument("--office", required=True, help="office id")
    point.add_argument("--customer", required=True, help="customer id")
    point.add_argument("--account", help="account id")
    point.add_argument("--name", required=True)
    point.add_argument("--kv", type=float, required=True, help="nominal voltage, kV")
    point.add_argument("--phases", type=int, choices=(1, 3), default=3)
    point.add_argument("--small-system", action="store_true", help="a small system (frequency limit ±0.5 Hz)")
    point.add_argument("--contract", default="{}",
                       help='the contract\'s tighter limits as JSON, e.g. {"harmonics.thd_max": 3.0}')
    point.add_argument("--account-manager", help="staff id of the customer's account manager")
    pq_import = commands.add_parser("pq-import", help="ingest power-quality intervals from a JSON-lines file")
    _db_arg(pq_import)
    pq_import.add_argument("file", help="one interval per line, as POST /channels/power-quality/intervals takes")
    serve = commands.add_parser("serve", help="run the HTTP server")
    _db_arg(serve)
    serve.add_argument("--log-format", choices=log_format.FORMATS,
                       help="text lines (default) or one JSON object per line (ONEWINDOW_LOG_FORMAT)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8700)
    serve.add_argument("--workers", type=int, default=1)
    serve.add_argument("--tls-cert", help="PEM certificate (chain) file: serve HTTPS (desks verify it)")
    serve.add_argument("--tls-key", help="PEM private key file of --tls-cert")
    serve.add_argument("--forwarded-allow-ips", default=None,
                       help="addresses of a reverse proxy whose X-Forwarded-For/-Proto to trust "
                            "(comma-separated; default: loopback only)")
    serve.add_argument("--header-timeout", type=float, default=10.0,
                       help="seconds a client may take to send a request's line and headers (default 10)")
    serve.add_argument("--body-timeout", type=float, default=30.0,
                       help="longest pause in seconds between parts of a request body (default 30)")
    serve.add_argument("--test-clock", action="store_true", help="expose POST /api/v1/test/clock (tests only)")
    serve.add_argument("--no-migrate", action="store_true", help="do not upgrade the schema on start")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if getattr(args, "log_format", None):
        os.environ["ONEWINDOW_LOG_FORMAT"] = args.log_format  # the workers uvicorn starts read it too
    log_format.configure()
    url = _need_db(args)
    if args.command == "migrate":
        from backend.db.migrate import upgrade

        print(f"schema at revision {upgrade(url)}")
        return 0
    if args.command == "seed-demo":
        from backend.db.migrate import upgrade
        from backend.seeding import seed_demo

        upgrade(url)
        if _has_staff(url):
            print("onewindow-server seed-demo: this database has staff accounts; demo data (with its well-known "
                  "passwords) is only loaded into an empty database", file=sys.stderr)
            return 2
        print(seed_demo(url, seed=args.seed, customers_per_office=args.customers))
        return 0
    if args.command in ("create-user", "set-password", "disable-user", "enable-user"):
        from backend.accounts import AccountError

        try:
            print(_account(url, args))
        except AccountError as error:
            print(f"onewindow-server {args.command}: {error}", file=sys.stderr)
            return 2
        return 0
    if args.command in ("backup", "restore"):
        from pathlib import Path

        from backend.backup import BackupError, backup, restore

        try:
            print(backup(url, Path(args.to)) if args.command == "backup"
                  else restore(url, Path(args.source), replace=args.replace))
        except BackupError as error:
            print(f"onewindow-server {args.command}: {error}", file=sys.stderr)
            return 2
        return 0
    if args.command == "rebuild-efficiency":
        from backend.efficiency.commands import rebuild_command

        try:
            print(rebuild_command(url, args.office))
        except ValueError as error:
            print(f"onewindow-server rebuild-efficiency: {error}", file=sys.stderr)
            return 2
        return 0
    if args.command in ("pq-point", "pq-import"):
        from domain.errors import InvalidInput

        try:
            print(_power_quality(url, args))
        except (InvalidInput, ValueError, OSError) as error:
            print(f"onewindow-server {args.command}: {error}", file=sys.stderr)
            return 2
        return 0
    return _serve(url, args)


def _power_quality(url: str, args: argparse.Namespace) -> str:
    import json
    from datetime import UTC, datetime

    from backend import power_quality
    from backend.db.engine import open_database
    from backend.db.migrate import upgrade
    from backend.settings import Settings
    from domain import power_quality as pq

    upgrade(url)
    database = open_database(url)
    try:
        now = datetime.now(UTC)
        if args.command == "pq-point":
            contract = json.loads(args.contract)
            if not isinstance(contract, dict) or not all(isinstance(v, int | float) for v in contract.values()):
                raise ValueError("--contract takes a JSON object of numbers")
            point = pq.MonitoringPoint(args.id, args.customer, args.kv, args.phases, args.small_system, contract)
            power_quality.register_point(database, point, office_id=args.office, name=args.name,
                                         account_id=args.account, account_manager_id=args.account_manager, now=now)
            return f"monitoring point {args.id} registered"
        with open(args.file, encoding="utf-8") as lines:  # the whole file is checked before anything is stored
            power_quality.check_file(database, power_quality.read_batches(lines))
        totals = power_quality.Ingested()
        with open(args.file, encoding="utf-8") as lines:
            for batch in power_quality.read_batches(lines):
                done = power_quality.ingest(database, batch, datetime.now(UTC), Settings(db_url=url))
                totals.stored += done.stored
                totals.repeated += done.repeated
                totals.conflicting += done.conflicting
                totals.warnings += done.warnings
        return (f"stored {totals.stored}, already there {totals.repeated}, conflicting {totals.conflicting}, "
                f"warnings opened {len(totals.warnings)}")
    finally:
        database.dispose()


def _account(url: str, args: argparse.Namespace) -> str:
    from backend import accounts
    from backend.db.migrate import upgrade

    upgrade(url)
    if args.command == "create-user":
        from backend.seeding import create_user

        password = _password(args)
        accounts.refuse_create(url, username=args.username, office=args.office, new_office=args.new_office)
        accounts.check_new_password(password, args.username)
        return create_user(
            url,
            username=args.username,
            role=args.role,
            office=args.office,
            password=password,
            department=args.department,
            display_name=args.display_name,
        )
    if args.command == "set-password":
        return accounts.change_password(url, args.username, _password(args))
    return accounts.set_active(url, args.username, args.command == "enable-user")


def _serve(url: str, args: argparse.Namespace) -> int:
    import uvicorn

    from backend.db.migrate import upgrade
    from backend.limits import header_timeout_protocol

    if not args.no_migrate:
        upgrade(url)
    os.environ["ONEWINDOW_DB"] = url
    os.environ["ONEWINDOW_TEST_CLOCK"] = "1" if args.test_clock else ""
    os.environ["ONEWINDOW_HEADER_TIMEOUT"] = str(args.header_timeout)
    os.environ["ONEWINDOW_BODY_TIMEOUT"] = str(args.body_timeout)
    if bool(args.tls_cert) != bool(args.tls_key):
        raise SystemExit("--tls-cert and --tls-key go together")
    uvicorn.run(
        "backend.cli:app_from_env",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_level="warning",
        timeout_graceful_shutdown=3,
        # Desks keep one connection and sync every few seconds: uvicorn's 5 s default closed idle
        # connections just as a desk reused them (a reset the desk had to retry).
        timeout_keep_alive=75,
        http=header_timeout_protocol(),
        ssl_certfile=args.tls_cert,
        ssl_keyfile=args.tls_key,
        forwarded_allow_ips=args.forwarded_allow_ips,  # None: $FORWARDED_ALLOW_IPS or loopback
    )
    return 0


def _has_staff(url: str) -> bool:
    from sqlalchemy import select

    from backend.db.engine import open_database
    from backend.db.records import StaffRow

    database = open_database(url)
    try:
        with database.read() as session:
            return session.execute(select(StaffRow.id).limit(1)).first() is not None
    finally:
        database.dispose()


def _end_streams_on_exit() -> None:
    """On SIGTERM/SIGINT uvicorn waits for open responses before it stops; a desk's live event stream never
    ends by itself, so shutdown waited out its graceful timeout and logged ERRORs. Called by the app factory
    in the serving process (uvicorn has installed its signal handlers by then): the handlers first end the
    streams, then do what uvicorn's did."""
    if threading.current_thread() is not threading.main_thread():
        return
    from backend.sync.events import end_all_streams

    for sig in (signal.SIGINT, signal.SIGTERM):
        previous = signal.getsignal(sig)
        if not callable(previous) or getattr(previous, "ends_streams", False):
            continue

        def handler(signum: int, frame: Any, previous: Any = previous) -> None:
            end_all_streams()
            previous(signum, frame)

        handler.ends_streams = True  # type: ignore[attr-defined]
        signal.signal(sig, handler)


def app_from_env() -> FastAPI:
    """The uvicorn factory: each worker process builds its own app from the environment."""
    from backend.app import create_app

    _end_streams_on_exit()
    log_format.configure()  # a worker process starts with no handler of ours

    settings = Settings.from_env(test_clock=bool(os.environ.get("ONEWINDOW_TEST_CLOCK")))
    return create_app(settings)


if __name__ == "__main__":
    sys.exit(main())
