"""The `booklet` command line: the only place that prints."""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import sys
from pathlib import Path

from booklet import __version__
from booklet.errors import BookletError, ContentError
from booklet.products import NAMES
from booklet.project import Project, open_project

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a date; write YYYY-MM-DD") from exc


def _jobs(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a number of processes; give 1 or more")
    return value


def parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--content", default="content", type=Path,
                        help="content folder (default: content)")
    common.add_argument("--layouts", default="layouts", type=Path,
                        help="layouts folder (default: layouts)")
    common.add_argument("--output", default="output", type=Path,
                        help="output folder (default: output)")
    common.add_argument("--today", type=_date,
                        help="date to judge verification age by (default: today)")
    common.add_argument("-q", "--quiet", action="store_true",
                        help="print only errors")
    common.add_argument("-v", "--verbose", action="store_true",
                        help="log every step")

    top = argparse.ArgumentParser(
        prog="booklet",
        description="Typeset a directory of support services into print and "
                    "screen publications.")
    top.add_argument("--version", action="version", version=__version__)
    sub = top.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = sub.add_parser("check", parents=[common],
                           help="validate the content and report every problem")
    check.add_argument("--strict", action="store_true",
                       help="treat warnings as errors")

    build = sub.add_parser("build", parents=[common],
                           help="build products into the output folder")
    build.add_argument("products", nargs="*", metavar="PRODUCT",
                       help=f"what to build: {', '.join(NAMES)} (default: all)")
    build.add_argument("--lang", help="vi, en, or vi+en for leaflets")
    build.add_argument("--layout", help="layout name, e.g. print or screen "
                                        "(directory), trifold or a6 (leaflets)")
    build.add_argument("--province", nargs="+", metavar="CODE",
                       help="only these provinces (two-digit codes)")
    build.add_argument("--area", help="an area of regions.yaml: one leaflet for "
                                      "it, or a directory of its provinces")
    build.add_argument("--region", help="only this region (inserts, leaflets, "
                                        "directory)")
    build.add_argument("--category", nargs="+", metavar="C",
                       help="only these service categories (inserts, leaflets, "
                            "directory)")
    build.add_argument("--audience", choices=("public", "caseworker"),
                       help="build the directory for caseworkers instead of "
                            "the public")
    edition = build.add_mutually_exclusive_group()
    edition.add_argument("--draft", action="store_true",
                         help="stamp DRAFT and show everything (the default)")
    edition.add_argument("--final", action="store_true",
                         help="refuse unverified entries; respect consent")
    build.add_argument("--skip-unverified", action="store_true",
                       help="with --final, leave unverified entries out")
    build.add_argument("--discreet", action="store_true",
                       help="leaflets: QR contacts save under the neutral "
                            "discreet name, without address or website")
    build.add_argument("--show-confidential", action="store_true",
                       help="caseworker products: print confidential addresses, "
                            "marked as such")
    build.add_argument("--strict", action="store_true",
                       help="treat content warnings as errors")
    build.add_argument("-j", "--jobs", type=_jobs, default=os.cpu_count() or 1,
                       help="parallel processes (default: number of cores)")
    build.add_argument("--force", action="store_true",
                       help="rebuild even what has not changed")

    for name, helptext in (("template", "write the empty data-collection workbook"),
                           ("export", "write the current content as a workbook")):
        cmd = sub.add_parser(name, parents=[common], help=helptext)
        # The filled workbook holds internal notes and consent records: by
        # default it goes beside the content, not into the shared output/.
        # The empty one is shared, in the --output folder.
        default = None if name == "template" else Path("content-export.xlsx")
        cmd.add_argument("workbook", nargs="?", type=_out_path, default=default,
                         help="where to write the .xlsx file (default: "
                         + ("data-collection.xlsx in the --output folder)"
                            if default is None else f"{default})"))
    imp = sub.add_parser("import", parents=[common],
                         help="update content/ from a filled workbook")
    imp.add_argument("workbook", type=Path, help="the .xlsx file to read")
    imp.add_argument("--dry-run", action="store_true",
                     help="say what would change and write nothing")
    imp.add_argument("--remove", action="store_true",
                     help="delete provider files that the workbook no longer has")
    return top


def _out_path(text: str) -> Path:
    """A path to write to; one ending in a slash is a folder, made if need be
    (Path drops the slash, and the workbook became a file with no suffix)."""
    path = Path(text)
    if text.endswith(("/", os.sep)):
        path.mkdir(parents=True, exist_ok=True)
    return path


def _project(args) -> Project:
    return open_project(args.content, args.layouts, args.output, args.today)


def _print_problems(problems, quiet: bool) -> None:
    for problem in problems:
        if problem.is_error or not quiet:
            print(problem, file=sys.stderr)


def cmd_check(args) -> int:
    project = _project(args)
    problems = project.check()
    _print_problems(problems, args.quiet)
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    print(f"{project.loaded.provider_files} provider file(s) checked: "
          f"{errors} error(s), {warnings} warning(s)", file=sys.stderr)
    if errors or (args.strict and warnings):
        return EXIT_ERRORS
    return EXIT_OK


def _request(args) -> dict:
    """The edition options of a build command, as products plan them."""
    request = {k: getattr(args, k) for k in (
        "lang", "layout", "province", "area", "region", "category", "audience",
        "final", "skip_unverified", "show_confidential", "discreet")}
    request["today"] = args.today
    return request


def cmd_build(args) -> int:
    from booklet.build import build, withdraw_finals

    misplaced = _misplaced_options(args)
    if misplaced:
        print(f"booklet: {misplaced}", file=sys.stderr)
        return EXIT_USAGE
    project = _project(args)
    problems = project.check(cache=True)
    _print_problems([p for p in problems if p.is_error or args.verbose], False)
    if any(p.is_error for p in problems):
        # Said once here; building would only raise the same problems again.
        print("booklet: the content has errors; run 'booklet check' and fix "
              "them", file=sys.stderr)
        if args.final:
            gone = withdraw_finals(
                project, list(dict.fromkeys(args.products)) or list(NAMES),
                _request(args))
            if gone:
                print(f"booklet: the previous final edition ({', '.join(gone)}) "
                      "was removed, as this build could not confirm it is still "
                      "fit to hand out", file=sys.stderr)
        return EXIT_ERRORS
    warnings = sum(not p.is_error for p in problems)
    if warnings and not args.verbose and not args.quiet:
        print(f"{warnings} content warning(s); 'booklet check' lists them",
              file=sys.stderr)
    if args.strict and problems:
        print(f"{len(problems)} problem(s) and --strict: nothing built",
              file=sys.stderr)
        return EXIT_ERRORS
    unknown = [p for p in args.products if p not in NAMES]
    if unknown:
        print(f"booklet: unknown product {', '.join(unknown)}; "
              f"choose from {', '.join(NAMES)}", file=sys.stderr)
        return EXIT_USAGE
    request = _request(args)
    progress = None
    if not args.quiet and sys.stderr.isatty():
        progress = _progress_bar()
    # Naming a product twice builds it once.
    products = list(dict.fromkeys(args.products)) or list(NAMES)
    result = build(project, products, request,
                   workers=args.jobs, force=args.force,
                   progress=progress)
    if progress:
        progress(None, None, None)
    written = set(result.written)
    for report in result.reports:
        if args.quiet:
            continue
        # --force makes a product again, but files whose bytes come out the
        # same are not rewritten.
        state = ("unchanged" if not report.rebuilt else "built" if any(
            name in written for name in report.files) else "built, same bytes")
        print(f"{report.key}: {state}; {len(report.included)} included "
              f"({len(report.redacted)} with fields withheld), "
              f"{len(report.excluded)} left out", file=sys.stderr)
        for item in report.excluded:
            print(f"{report.key}: left out {item['provider']}: {item['reason']}",
                  file=sys.stderr)
        for warning in report.warnings:
            print(f"{report.key}: warning: {warning}", file=sys.stderr)
    for failure in result.failures:
        print(f"{failure.key}: error: {failure.message}", file=sys.stderr)
    if not args.quiet:
        print(f"{len(result.written)} file(s) written, {len(result.unchanged)} "
              f"unchanged, {len(result.failures)} failed; see "
              f"{project.output_dir / 'report.json'}", file=sys.stderr)
    return EXIT_OK if result.ok else EXIT_ERRORS


# Options that only some products understand: naming one of those products
# is required, so that an option never silently does nothing.
_OPTION_PRODUCTS = {
    "layout": ("directory", "leaflets"),
    "province": ("directory", "leaflets", "inserts"),
    "area": ("leaflets", "directory"),
    "region": ("inserts", "leaflets", "directory"),
    "category": ("inserts", "leaflets", "directory"),
    "audience": ("directory",),
    "discreet": ("leaflets",),
    "show_confidential": ("inserts", "directory"),
}


def _misplaced_options(args) -> str | None:
    if args.skip_unverified and not args.final:
        # A draft shows every entry anyway: the option would do nothing.
        return ("--skip-unverified works only with --final; add --final, or drop "
                "it: a draft shows every entry with its verification state")
    for option, owners in _OPTION_PRODUCTS.items():
        if not getattr(args, option):
            continue
        flag = "--" + option.replace("_", "-")
        if not set(args.products) & set(owners):
            names = ", ".join(owners[:-1]) + " and " + owners[-1] if len(
                owners) > 1 else owners[0]
            return (f"{flag} applies to {names} only; name the "
                    f"product, for example: booklet build {owners[0]} {flag} ...")
    return None


def _progress_bar():
    from tqdm import tqdm

    bar = None

    def update(done, total, key):
        nonlocal bar
        if done is None:
            if bar is not None:
                bar.close()
            return
        if bar is None:
            bar = tqdm(total=total, unit="product", leave=False, file=sys.stderr)
        bar.set_postfix_str(str(key))
        bar.update(done - bar.n)

    return update


def cmd_workbook(args) -> int:
    from booklet.load import excel

    project = _project(args)
    if args.command in ("template", "export"):
        name = ("data-collection.xlsx" if args.command == "template"
                else "content-export.xlsx")
        path = args.workbook or project.output_dir / name
        if path.is_dir():  # a folder given: the workbook goes into it
            path = path / name
    if args.command == "template":
        excel.write_template(project, path)
        print(f"wrote {path}", file=sys.stderr)
        return EXIT_OK
    if args.command == "export":
        excel.write_export(project, path)
        print(f"wrote {path}", file=sys.stderr)
        if path.resolve().is_relative_to(project.output_dir.resolve()):
            print(f"booklet: warning: {path} holds internal notes and "
                  f"consent records, and {project.output_dir} is the folder shared "
                  "with partners; move it out of there", file=sys.stderr)
        return EXIT_OK
    outcome = excel.import_workbook(project, args.workbook, dry_run=args.dry_run,
                                    remove=args.remove)
    for line in outcome.lines():
        print(line)
    return EXIT_ERRORS if outcome.errors else EXIT_OK


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    level = logging.DEBUG if args.verbose else (
        logging.ERROR if args.quiet else logging.WARNING)
    logging.basicConfig(level=level, format="%(levelname)s: %(message)s")
    # --verbose is about booklet's steps; fontTools would log every table it
    # reads from every font.
    logging.getLogger("fontTools").setLevel(max(level, logging.WARNING))
    commands = {"check": cmd_check, "build": cmd_build, "template": cmd_workbook,
                "export": cmd_workbook, "import": cmd_workbook}
    try:
        return commands[args.command](args)
    except ContentError as exc:
        _print_problems([p for p in exc.problems if p.is_error], False)
        print("booklet: the content has errors; run 'booklet check' and fix them",
              file=sys.stderr)
        return EXIT_ERRORS
    except BookletError as exc:
        print(f"booklet: {exc}", file=sys.stderr)
        return EXIT_ERRORS
