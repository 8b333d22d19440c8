"""The `lunch` command: parses arguments and hands over to the composition root."""

from __future__ import annotations

import argparse
import logging
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ops import admin, logs
from ops.components import COMPONENTS, serve
from ops.lifeline import die_with_parent
from ops.metrics_server import serve_metrics
from ops.stackenv import with_stack_env

if TYPE_CHECKING:
    from commands.settings import Settings

DEFAULT_DATA_DIR = ".lunch"


def parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--data-dir",
        type=Path,
        default=Path(os.environ.get("LUNCH_DATA_DIR") or DEFAULT_DATA_DIR),
        help="where `lunch run` keeps its data and stack.env (default: .lunch)",
    )
    top = argparse.ArgumentParser(prog="lunch", description="Office lunch ordering.")
    sub = top.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", parents=[common], help="embedded stack and every component")
    run.add_argument("--port", type=int, default=8000)
    run.add_argument("--no-demo", action="store_true", help="do not seed the demo office")
    run.add_argument("--json-logs", action="store_true", help="JSON log lines even in a terminal")

    serve_p = sub.add_parser("serve", parents=[common], help="run one component")
    serve_p.add_argument("component", choices=COMPONENTS)

    proj = sub.add_parser("projections", help="read models").add_subparsers(
        dest="action", required=True
    )
    rebuild = proj.add_parser("rebuild", parents=[common], help="rebuild from the event store")
    rebuild.add_argument("names", nargs="*", metavar="NAME")
    proj.add_parser("status", parents=[common], help="positions, lag, parked messages")
    parked = proj.add_parser("parked", parents=[common], help="messages that failed to apply")
    parked.add_argument("name", nargs="?", metavar="PROJECTION")
    retry = proj.add_parser("retry", parents=[common], help="re-apply a key's parked messages")
    retry.add_argument("name", metavar="PROJECTION")
    retry.add_argument("key", metavar="KEY")

    employees = sub.add_parser("employees", help="the roster").add_subparsers(
        dest="action", required=True
    )
    imp = employees.add_parser("import", parents=[common], help="import a CSV file")
    imp.add_argument("file", type=Path)

    audit = sub.add_parser("audit", help="history, reports as of a moment, verification")
    audit_sub = audit.add_subparsers(dest="action", required=True)
    history = audit_sub.add_parser("history", parents=[common], help="an order's events")
    history.add_argument("order_id")
    report = audit_sub.add_parser("report", parents=[common], help="a cafe-day report")
    report.add_argument("--cafe", required=True)
    report.add_argument("--date", required=True)
    report.add_argument("--as-of", dest="as_of")
    report.add_argument("--format", choices=("json", "csv"), default="json")
    verify = audit_sub.add_parser(
        "verify", parents=[common], help="read models vs a replay; the log's hash chain"
    )
    verify.add_argument("--checkpoint", type=Path, help="a file written by `audit checkpoint`")
    verify.add_argument("--log-only", action="store_true", help="the hash chain only")
    audit_sub.add_parser("checkpoint", parents=[common], help="the hash chain's head, signed")

    rec = sub.add_parser("recommender", help="recommendations").add_subparsers(
        dest="action", required=True
    )
    rec.add_parser("run-once", parents=[common], help="compute recommendations now")
    return top


def settings_for(data_dir: Path) -> Settings:
    from commands.settings import Settings

    settings = Settings.from_env(with_stack_env(os.environ, data_dir))
    settings.check()
    return settings


def dispatch(args: argparse.Namespace) -> int:  # noqa: PLR0911 - one return per command
    if args.command == "run":
        from ops.launch import run_stack

        return run_stack(args.port, args.data_dir, demo=not args.no_demo)
    settings = settings_for(args.data_dir)
    match (args.command, getattr(args, "action", None)):
        case ("serve", _):
            serve(args.component, settings)
            return 0
        case ("projections", _):
            return admin.projections(settings, args)
        case ("employees", "import"):
            return admin.employees_import(settings, args.file)
        case ("audit", "history"):
            return admin.audit_history(settings, args.order_id)
        case ("audit", "report"):
            return admin.audit_report(settings, args.cafe, args.date, args.as_of, args.format)
        case ("audit", "verify"):
            return admin.audit_verify(settings, args.checkpoint, logs_only=args.log_only)
        case ("audit", "checkpoint"):
            return admin.audit_checkpoint(settings)
        case ("recommender", "run-once"):
            return admin.recommender_run_once(settings)
    raise AssertionError(args)


def main(argv: Sequence[str] | None = None) -> None:
    args = parser().parse_args(argv)
    if getattr(args, "json_logs", False):
        os.environ["LUNCH_LOG_FORMAT"] = "json"  # the components inherit it
    logs.configure(component=args.component if args.command == "serve" else args.command)
    if args.command == "serve":
        die_with_parent(os.environ)
        serve_metrics(os.environ)
    try:
        code = dispatch(args)
    except KeyboardInterrupt:
        code = 0
    logging.shutdown()
    raise SystemExit(code)


if __name__ == "__main__":
    main()
