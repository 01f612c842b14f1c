"""``zoning store ...``: the project store on the command line.

Wiring: ``register(subparsers)`` adds the ``store`` command with the subcommands
``init``, ``layers``, ``history``, ``restore``, ``import``, ``audit`` and ``export``; each sets
``func`` on the parsed namespace, so the caller runs ``sys.exit(args.func(args))``.
Handlers never raise for expected failures: they print one line on stderr and return

- 0 success,
- 2 unusable input (unknown layer or version, unreadable file, bad name or argument),
- 3 the store refused or failed (another writer busy, a conflicting save, the database
  unreachable); nothing was changed, retrying may help.

Every subcommand takes ``--store TARGET`` (a .gpkg path or a postgresql:// URL); without
it the store is :func:`layers.settings.store_target` (``$NANCHANG_STORE``, else
``project.gpkg`` in the per-user data folder), the one the app opens.

``restore`` and ``import`` take ``--expect-version N``: the version the user looked at
(e.g. in ``zoning store history``) before deciding. If somebody saved another version
since, the store refuses with who saved which version when (exit 3) and nothing is
written, exactly as the app's zone editor is refused. Without it the command is an
administrator's tool: it writes on top of whatever version is current at that moment
(optimistic check against the version current when the command starts, so a save that
lands during the command itself is still refused), and says which version it replaced.

The command line is an administrator's tool: it acts as the local operating-system user
with the admin role (``--author`` records another name), and every restore and import is
recorded in the store's audit trail (``zoning store audit``) with the page ``cli``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

# geo.store.AUDIT_ACTIONS, spelled out so that `zoning --help` need not import the store
# (tests/zoning/test_cli_audit.py checks that the two agree).
AUDIT_ACTIONS: Final = (
    "save",
    "restore",
    "import",
    "scenario",
    "refused",
    "sign_in",
    "sign_out",
)

if TYPE_CHECKING:
    from geo.store import Store

__all__ = ["EXIT_OK", "EXIT_STORE", "EXIT_UNUSABLE", "register"]

EXIT_OK: Final = 0
EXIT_UNUSABLE: Final = 2
EXIT_STORE: Final = 3

Handler = Callable[[argparse.Namespace], int]
_PAGE: Final = "cli"
"""What the audit trail records as the place of a command-line write."""


def _one_line(exc: BaseException, lang: str = "en") -> str:
    from geo.messages import in_lang

    # In the user's language (`zoning --lang`, else the locale), like every other command.
    text = in_lang(exc, lang).strip() or type(exc).__name__
    return " | ".join(part.strip() for part in text.splitlines() if part.strip())


def _guarded(handler: Callable[[argparse.Namespace, Store], int]) -> Handler:
    """Open the store, run ``handler`` and turn expected errors into an exit code."""

    def run(args: argparse.Namespace) -> int:
        from geo import store as geo_store
        from layers.settings import store_target
        from zoning.cli import message_lang

        lang = message_lang(args)
        try:
            with geo_store.open(args.store or store_target()) as opened:
                return handler(args, opened)
        except geo_store.LayerNotFoundError as exc:
            code, text = EXIT_UNUSABLE, _one_line(exc, lang)
        except geo_store.StoreError as exc:
            code, text = EXIT_STORE, _one_line(exc, lang)
        except (ValueError, OSError) as exc:
            code, text = EXIT_UNUSABLE, _one_line(exc, lang)
        sys.stderr.write(f"zoning store {args.store_command}: error: {text}\n")
        return code

    return run


def _print_frame(frame: Any) -> None:
    import pandas as pd

    with pd.option_context("display.max_colwidth", 60, "display.width", 200):
        sys.stdout.write(frame.to_string(index=False) + "\n")


# ---------------------------------------------------------------- handlers


def _init(args: argparse.Namespace, store: Store) -> int:
    store.init()
    sys.stdout.write(f"store ready: {store.target}\n")
    return EXIT_OK


def _layers(args: argparse.Namespace, store: Store) -> int:
    import pandas as pd

    names = store.layers()
    if not names:
        sys.stdout.write(f"no layers in {store.target}\n")
        return EXIT_OK
    rows = []
    for name in names:
        last = store.versions(name)[-1]
        rows.append(
            {
                "layer": name,
                "version": last.version,
                "features": last.feature_count,
                "author": last.author,
                "saved_utc": f"{last.created_at:%Y-%m-%d %H:%M:%S}",
                "note": last.note,
            }
        )
    _print_frame(pd.DataFrame(rows))
    return EXIT_OK


def _history(args: argparse.Namespace, store: Store) -> int:
    frame = store.history(args.layer)
    frame["created_at"] = frame["created_at"].dt.strftime("%Y-%m-%d %H:%M:%S")
    _print_frame(frame.rename(columns={"created_at": "saved_utc"}))
    return EXIT_OK


def _expected(args: argparse.Namespace, store: Store, layer: str) -> int:
    """Return the version a write must find current: ``--expect-version``, else today's."""
    if args.expect_version is not None:
        return int(args.expect_version)
    # An administrator's write without a version goes on top of the current one; checked
    # against it all the same, so a save landing while the command runs is not overwritten.
    current = store.current_version(layer)
    return 0 if current is None else current


def _actor(args: argparse.Namespace) -> Any:
    """Return who writes: the OS user (or ``--author``), as an administrator.

    The command line is an administrator's tool: whoever runs it can already open the
    store's file or database directly, so the role check of the store, which protects a
    shared app from its users, is satisfied by design and the record says who it was.
    """
    from geo.store import Actor
    from layers.access import Identity

    name = args.author.strip() if isinstance(args.author, str) and args.author.strip() else None
    return Actor(name or Identity.local_user().id, "admin")


def _audit(args: argparse.Namespace, store: Store) -> int:
    frame = store.audit_log(
        who=args.who, action=args.action, layer=args.layer, since=args.since, until=args.until
    )
    if frame.empty:
        sys.stdout.write(f"no audit records in {store.target}\n")
        return EXIT_OK
    frame["at"] = frame["at"].dt.strftime("%Y-%m-%d %H:%M:%S")
    _print_frame(frame.rename(columns={"at": "at_utc"}))
    return EXIT_OK


def _replaced(saved: Any) -> str:
    return "" if saved.parent_version is None else f" on top of version {saved.parent_version}"


def _restore(args: argparse.Namespace, store: Store) -> int:
    saved = store.restore(
        args.layer,
        args.version,
        actor=_actor(args),
        note=args.note,
        expected_version=_expected(args, store, args.layer),
        page=_PAGE,
    )
    sys.stdout.write(
        f"restored version {args.version} of {args.layer!r} as new version {saved.version}"
        f"{_replaced(saved)} ({saved.feature_count} features); earlier versions are kept\n"
    )
    return EXIT_OK


def _import(args: argparse.Namespace, store: Store) -> int:
    from geo import io as geo_io
    from layers.settings import extent

    path = Path(args.file)
    if not path.is_file():
        from geo import InputError
        from geo.messages import text

        raise InputError(text("geo.source.missing", file=path.name, path=str(path)))
    result = geo_io.read(
        path, coord_system=args.coord_system, layer=args.source_layer, extent=extent()
    )
    from layers.project import ZONES_LAYER
    from layers.zone_import import ensure_shipped_version

    expected = _expected(args, store, args.layer)
    if args.layer == ZONES_LAYER and expected == 0:
        # The shipped boundaries become version 1 first, so they can always be restored;
        # the import, made without a stored version, then goes on top of them.
        expected = ensure_shipped_version(store) or 0
    saved = store.write(
        args.layer,
        result.data,
        actor=_actor(args),
        note=args.note,
        expected_version=expected,
        action="import",
        page=_PAGE,
    )
    problems = result.problems
    sys.stdout.write(
        f"imported {saved.feature_count} features from {result.source} as version "
        f"{saved.version} of {args.layer!r}{_replaced(saved)}\n"
    )
    if len(problems):
        sys.stderr.write(f"{len(problems)} problem(s) in {result.source}:\n")
        sys.stderr.write(problems.to_string(index=False) + "\n")
    return EXIT_OK


def _export(args: argparse.Namespace, store: Store) -> int:
    from geo import io as geo_io

    data = store.read(args.layer, version=args.version)
    written = geo_io.write(data, args.out, layer=args.layer)
    which = "current version" if args.version is None else f"version {args.version}"
    sys.stdout.write(f"wrote {len(data)} features ({which} of {args.layer!r}) to {written}\n")
    return EXIT_OK


# ---------------------------------------------------------------- wiring


def _day(value: str) -> Any:
    from datetime import date

    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a day like 2024-05-31") from None


def register(subparsers: Any) -> argparse.ArgumentParser:
    """Add ``store`` and its subcommands to an argparse ``subparsers`` object.

    Parameters
    ----------
    subparsers
        The object returned by ``ArgumentParser.add_subparsers()``.

    Returns
    -------
    argparse.ArgumentParser
        The ``store`` parser.
    """
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--store",
        metavar="TARGET",
        default=None,
        help="a GeoPackage path or postgresql:// URL (default: $NANCHANG_STORE, "
        "else project.gpkg in the per-user data folder)",
    )
    who = argparse.ArgumentParser(add_help=False)
    who.add_argument(
        "--author",
        default=None,
        help="the name recorded as the version's author (default: your operating-system "
        "user name; the command line acts as an administrator)",
    )
    who.add_argument("--note", required=True, help="why (kept in the history)")
    who.add_argument(
        "--expect-version",
        type=int,
        default=None,
        metavar="N",
        help="the version you looked at (see `zoning store history`): if another version "
        "was saved since, nothing is written and the command exits 3 naming who saved it "
        "when (default: write on top of the current version, as an administrator)",
    )

    parser: argparse.ArgumentParser = subparsers.add_parser(
        "store",
        help="the project store: versioned layers, history, restore, import, export",
        description="Versioned project layers in a GeoPackage file or a PostGIS database.",
    )
    commands = parser.add_subparsers(dest="store_command", metavar="COMMAND", required=True)

    def add(
        name: str,
        handler: Callable[[argparse.Namespace, Store], int],
        text: str,
        parents: list[argparse.ArgumentParser],
    ) -> argparse.ArgumentParser:
        sub: argparse.ArgumentParser = commands.add_parser(
            name, help=text, description=text, parents=parents
        )
        sub.set_defaults(func=_guarded(handler))
        return sub

    add("init", _init, "create the store (idempotent)", [common])
    add("layers", _layers, "list the layers with their current version", [common])
    sub = add("history", _history, "list every version of a layer", [common])
    sub.add_argument("layer")
    sub = add(
        "restore",
        _restore,
        "make a past version current again (saved as a new version; nothing is deleted)",
        [common, who],
    )
    sub.add_argument("layer")
    sub.add_argument("version", type=int)
    sub = add("import", _import, "save a file as a new version of a layer", [common, who])
    sub.add_argument("file")
    sub.add_argument("--layer", required=True, help="store layer name, e.g. zones_drawn")
    sub.add_argument(
        "--coord-system",
        default="wgs84",
        help="coordinates of the file: wgs84 (default), gcj02 (Amap/Tencent), bd09 (Baidu)",
    )
    sub.add_argument(
        "--source-layer", default=None, help="layer or sheet inside the file, if several"
    )
    sub = add("audit", _audit, "list the audit trail (saves, restores, sign-ins), newest first",
              [common])  # fmt: skip
    sub.add_argument("--who", default=None, help="part of the user id (case-insensitive)")
    sub.add_argument("--action", default=None, choices=AUDIT_ACTIONS, help="only this action")
    sub.add_argument("--layer", default=None, help="only this layer")
    sub.add_argument("--since", type=_day, default=None, help="from this day (YYYY-MM-DD, UTC)")
    sub.add_argument("--until", type=_day, default=None, help="to this day (YYYY-MM-DD, UTC)")
    sub = add("export", _export, "write a layer (any version) to a file", [common])
    sub.add_argument("layer")
    sub.add_argument("--out", required=True, help="output file: .geojson, .gpkg or .csv")
    sub.add_argument("--version", type=int, default=None, help="default: the current one")
    return parser
