"""`onewindow-server`: migrate, seed-demo, create-user, serve."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

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
    user.add_argument("--office", required=True, help="office id or code")
    user.add_argument("--department")
    user.add_argument("--display-name")
    secret = user.add_mutually_exclusive_group(required=True)
    secret.add_argument("--password")
    secret.add_argument("--password-stdin", action="store_true")
    serve = commands.add_parser("serve", help="run the HTTP server")
    _db_arg(serve)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8700)
    serve.add_argument("--workers", type=int, default=1)
    serve.add_argument("--test-clock", action="store_true", help="expose POST /api/v1/test/clock (tests only)")
    serve.add_argument("--no-migrate", action="store_true", help="do not upgrade the schema on start")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)
    url = _need_db(args)
    if args.command == "migrate":
        from backend.db.migrate import upgrade

        print(f"schema at revision {upgrade(url)}")
        return 0
    if args.command == "seed-demo":
        from backend.db.migrate import upgrade
        from backend.seeding import seed_demo

        upgrade(url)
        print(seed_demo(url, seed=args.seed, customers_per_office=args.customers))
        return 0
    if args.command == "create-user":
        from backend.db.migrate import upgrade
        from backend.seeding import create_user

        password = sys.stdin.readline().rstrip("\n") if args.password_stdin else args.password
        upgrade(url)
        staff_id = create_user(
            url,
            username=args.username,
            role=args.role,
            office=args.office,
            password=password,
            department=args.department,
            display_name=args.display_name,
        )
        print(staff_id)
        return 0
    return _serve(url, args)


def _serve(url: str, args: argparse.Namespace) -> int:
    import uvicorn

    from backend.db.migrate import upgrade

    if not args.no_migrate:
        upgrade(url)
    os.environ["ONEWINDOW_DB"] = url
    os.environ["ONEWINDOW_TEST_CLOCK"] = "1" if args.test_clock else ""
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
    )
    return 0


def app_from_env() -> FastAPI:
    """The uvicorn factory: each worker process builds its own app from the environment."""
    from backend.app import create_app

    settings = Settings.from_env(test_clock=bool(os.environ.get("ONEWINDOW_TEST_CLOCK")))
    return create_app(settings)


if __name__ == "__main__":
    sys.exit(main())
