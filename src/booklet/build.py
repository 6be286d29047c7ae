"""Run products: plan jobs, select, skip what has not changed, make the rest
(in parallel processes when asked) and write outputs, manifest and report."""

from __future__ import annotations

import contextlib
import fcntl
import gc
import hashlib
import json
import logging
import multiprocessing
import multiprocessing.connection
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from booklet.errors import BookletError
from booklet.finish.output import (
    ProductReport,
    read_manifest,
    write_atomic,
    write_manifest,
    write_report,
)
from booklet.products import Job, Made, product
from booklet.project import Project, code_digest
from booklet.render.fonts import register
from booklet.select import Selection, select

log = logging.getLogger(__name__)


@dataclass
class Failure:
    key: str
    message: str


@dataclass
class BuildResult:
    reports: list[ProductReport] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures


def _files_digest(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(str(path.name).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


# Digests of redacted providers, which the select stage shares between
# products: each is hashed once per build, not once per product.
_digests: dict[int, tuple[object, str]] = {}


def _digest(provider) -> str:
    cached = _digests.get(id(provider))
    if cached is not None and cached[0] is provider:
        return cached[1]
    value = hashlib.sha256(provider.model_dump_json().encode()).hexdigest()
    _digests[id(provider)] = (provider, value)
    return value


def fingerprint(selection: Selection, job: Job, shared: str) -> str:
    """Everything a job's output depends on, hashed: change any and it rebuilds."""
    content = selection.content
    body = {
        "shared": shared,
        "job": [job.product, job.key, repr(job.edition), repr(job.params)],
        "entries": [
            [_digest(e.provider), e.consent_pending, e.consent_refused,
             e.verified,
             str(e.verified_on), e.address_withheld, e.address_confidential]
            for e in selection.entries],
        "document": content.document.model_dump(mode="json"),
        "guidance": content.guidance.model_dump(mode="json"),
        "codes": [m.model_dump(mode="json") for m in (
            *content.categories, *content.criteria, *content.provinces,
            *content.regions, *content.areas)],
    }
    text = json.dumps(body, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def printed_key(printed: str, job: Job, shared: str) -> str:
    """A hash of what a job prints, for products that can say it more
    cheaply than they render it (a module function `printed`, and Made's
    `printed`): the slides count providers, so a corrected phone number
    leaves them as they are and they need not be drawn again."""
    body = [shared, job.product, job.key, repr(job.edition), repr(job.params),
            printed]
    return hashlib.sha256(repr(body).encode()).hexdigest()


# What forked workers inherit: sending each job's Selection through a pipe
# would pickle the whole content tree (megabytes) once per job.
_shared: tuple[Project, list] | None = None


def _make_in_worker(index: int) -> Made:
    project, pending = _shared
    job, selection, _ = pending[index]
    return product(job.product).make(project, job, selection)


def plan(project: Project, products: list[str], request: dict) -> list[Job]:
    jobs: list[Job] = []
    for name in products:
        jobs.extend(product(name).plan(project, request))
    return jobs


def build(project: Project, products: list[str], request: dict | None = None,
          workers: int = 1, force: bool = False, progress=None) -> BuildResult:
    """Build `products` into project.output_dir; see BuildResult for the outcome.

    A job that fails is reported and the others still build. `progress`, if
    given, is called with (done, total, key) after each job.
    """
    request = request or {}
    project.output_dir.mkdir(parents=True, exist_ok=True)
    with _locked(project.output_dir):
        return _build(project, products, request, workers, force, progress)


@contextlib.contextmanager
def _locked(out: Path):
    """One build at a time per output folder: two would each rewrite the
    manifest from what they saw and lose the other's entries."""
    with open(out / ".lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            log.warning("another build is writing into %s; waiting for it", out)
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _build(project: Project, products: list[str], request: dict, workers: int,
           force: bool, progress) -> BuildResult:
    content = project.content
    out = project.output_dir
    jobs = plan(project, products, request)
    shared = hashlib.sha256((
        code_digest() + _files_digest(project.layouts.files())).encode()
    ).hexdigest()
    manifest = read_manifest(out)
    _remove_leftovers(out)
    result = BuildResult()

    def fail(job: Job, message: str) -> None:
        withdrawn = _withdraw(out, manifest, job)
        if withdrawn:
            message = message.rstrip(". ") + withdrawn
        result.failures.append(Failure(job.key, message))
        write_manifest(out, manifest)

    pending: list[tuple[Job, Selection, ProductReport]] = []
    writers: dict[str, str] = {}  # output path -> the job of this build
    for job in jobs:
        clash = _clash(out, manifest, writers, job)
        if clash:
            fail(job, clash)
            continue
        writers.update(dict.fromkeys(job.outputs, job.key))
        try:
            selection = select(content, job.edition)
        except BookletError as exc:
            fail(job, str(exc))
            continue
        if not selection.entries and selection.decisions:
            # Everything in scope was left out: publishing an empty edition
            # would look complete to its readers.
            fail(job, _nothing_left(selection))
            continue
        report = _report(job, selection)
        report.fingerprint = fingerprint(selection, job, shared)
        previous = manifest["products"].get(job.key, {})
        fresh = not force and _up_to_date(out, previous, report.fingerprint, manifest)
        printed = getattr(product(job.product), "printed", None)
        if not fresh and not force and printed and previous.get("printed"):
            try:
                report.printed = printed_key(printed(project, job, selection),
                                             job, shared)
            except Exception as exc:  # one product never stops the others
                fail(job, _failure(job, exc))
                continue
            fresh = _up_to_date(
                out, {**previous, "fingerprint": previous.get("printed")},
                report.printed, manifest)
            if fresh:
                # Nothing it prints changed: remember the new fingerprint, so
                # that the next build knows it without composing again.
                previous["fingerprint"] = report.fingerprint
        if fresh:
            report.files = previous["files"]
            # What its making warned of still holds for the files it left.
            report.warnings = list(previous.get("warnings", []))
            report.rebuilt = False
            result.unchanged.extend(report.files)
            result.reports.append(report)
            continue
        pending.append((job, selection, report))

    total, done = len(jobs), len(jobs) - len(pending)
    if progress and done:
        progress(done, total, "unchanged")

    def finish(job: Job, report: ProductReport, made: Made) -> None:
        report.warnings.extend(made.warnings)
        if made.printed is not None:
            report.printed = printed_key(made.printed, job, shared)
        for artifact in made.artifacts:
            path = out / artifact.path
            if write_atomic(path, artifact.data):
                result.written.append(artifact.path)
            else:
                result.unchanged.append(artifact.path)
            report.files.append(artifact.path)
            manifest["files"][artifact.path] = {
                "sha256": artifact.sha256, "bytes": len(artifact.data),
                "pages": artifact.pages, "kind": artifact.kind,
                "product": job.key}
        manifest["products"][job.key] = {
            "fingerprint": report.fingerprint, "files": report.files,
            "printed": report.printed, "product": job.product,
            "lang": job.param("lang"),
            "final": job.edition.final, "warnings": made.warnings}
        result.reports.append(report)
        # After each product, so that an interrupted build leaves a manifest
        # that describes the files on disk.
        write_manifest(out, manifest)

    # Even one at a time, each job of several runs in a process of its own:
    # its typesetting caches and memory go when it ends, so that a build of
    # every product peaks at its largest job rather than at their sum.
    if len(pending) > 1:
        for job, report, made in _run_parallel(project, pending, max(workers, 1)):
            done += 1
            try:
                finish(job, report, made())
            except Exception as exc:  # one product never stops the others
                fail(job, _failure(job, exc))
            if progress:
                progress(done, total, job.key)
    else:
        for job, selection, report in pending:
            done += 1
            try:
                finish(job, report, product(job.product).make(project, job,
                                                             selection))
            except Exception as exc:  # one product never stops the others
                fail(job, _failure(job, exc))
            if progress:
                progress(done, total, job.key)

    write_manifest(out, manifest)
    write_report(out, result.reports, {
        "content": str(project.content_dir),
        "edition_date": content.document.settings.edition_date.isoformat(),
        "failures": [f.__dict__ for f in result.failures]})
    return result


def _run_parallel(project: Project, pending: list, workers: int):
    """Yield (job, report, result getter) in plan order, each job made in a
    process of its own forked from this one, at most `workers` at a time and
    largest first so that no core waits for a late big one.

    A process per job, rather than a pool, returns each job's memory when it
    ends: typesetting caches would otherwise pile up in long-lived workers.
    """
    global _shared
    _shared = (project, pending)
    # Fonts are parsed once here and inherited, not once per job.
    register(project.layouts.fonts())
    # Frozen objects are never touched by the collector, so forked children
    # keep sharing this process's memory pages instead of copying them.
    gc.freeze()
    context = multiprocessing.get_context("fork")
    queue = sorted(range(len(pending)), key=lambda i: -len(pending[i][1].entries))
    running: dict = {}
    results: dict[int, tuple[str, object]] = {}
    try:
        for index, (job, _, report) in enumerate(pending):
            while index not in results:
                while queue and len(running) < workers:
                    i = queue.pop(0)
                    receiver, sender = context.Pipe(duplex=False)
                    child = context.Process(target=_child, args=(i, sender))
                    child.start()
                    sender.close()
                    running[receiver] = (i, child)
                for receiver in multiprocessing.connection.wait(list(running)):
                    i, child = running.pop(receiver)
                    try:
                        results[i] = receiver.recv()
                    except EOFError:
                        results[i] = ("error", BookletError(
                            f"{pending[i][0].key}: the process making it "
                            "ended without a result (out of memory?)"))
                    receiver.close()
                    child.join()
            status, value = results.pop(index)
            yield job, report, (lambda v=value, s=status: _unwrap(s, v))
    finally:
        for _, child in running.values():
            child.kill()
        _shared = None
        gc.unfreeze()


def _child(index: int, sender) -> None:
    try:
        sender.send(("made", _make_in_worker(index)))
    except BaseException as exc:  # reported by the parent, job by job
        if not isinstance(exc, BookletError):
            log.error("%s failed", _shared[1][index][0].key, exc_info=exc)
            exc = RuntimeError(f"{type(exc).__name__}: {exc}")
        sender.send(("error", exc))
    finally:
        sender.close()


def _unwrap(status: str, value):
    if status == "error":
        raise value
    return value


def withdraw_finals(project: Project, products: list[str],
                    request: dict) -> list[str]:
    """Remove the final editions that a final build of `products` under
    `request` would have replaced, when it cannot even start because the
    content has errors: it cannot confirm they are still fit to hand out.
    Returns the files removed.

    The products asked for are planned from the content that could be
    read. A provider whose file has errors is missing from it, and may be
    the one that made a province's leaflet or a region's insert; so a
    build not narrowed to places also withdraws the finals of the products,
    in the languages planned, that the plan no longer names. With no content
    to plan from at all, every final of the products goes."""
    out = project.output_dir
    if not (out / "manifest.json").exists():
        return []
    jobs = _planned(project, products, request)
    planned = None if jobs is None else {job.key for job in jobs}
    langs = {(job.product, job.param("lang")) for job in jobs or ()}
    placed = any(request.get(k) for k in ("province", "region", "area"))
    singular = {"leaflets": "leaflet", "inserts": "insert"}
    prefixes = tuple(f"{singular.get(name, name)}-" for name in products)

    def asked(key: str, entry: dict) -> bool:
        if planned is not None and key in planned:
            return True
        # Manifests written before entries named their product: by key.
        if not (entry["product"] in products if "product" in entry
                else key.startswith(prefixes)):
            return False
        if planned is None:
            return True
        if placed:
            return False
        # An entry from before they named their language cannot be told
        # apart: it goes, as it may list the provider.
        return ("product" not in entry
                or (entry["product"], entry.get("lang")) in langs)

    with _locked(out):
        manifest = read_manifest(out)
        gone = [name for key, entry in sorted(manifest["products"].items())
                if asked(key, entry)
                for name in _remove_final(out, manifest, key)]
        write_manifest(out, manifest)
    return gone


def _planned(project: Project, products: list[str],
             request: dict) -> list[Job] | None:
    """The jobs a build of `products` would run on the content that could be
    read, or None when there is none to plan from."""
    content = project.loaded.content if project.loaded else None
    if content is None:
        return None
    readable = _Readable(project, content)
    jobs = []
    for name in products:
        try:
            jobs += product(name).plan(readable, request)
        except BookletError as exc:
            # An option the content refuses would stop the build too; the
            # products it names are not made, so none of theirs is replaced.
            log.info("withdrawing finals: %s", exc)
    return jobs


class _Readable:
    """A project whose content is what could be read, errors or not: enough
    to name the products a request asks for."""

    def __init__(self, project: Project, content):
        self._project, self.content = project, content

    def __getattr__(self, name):
        return getattr(self._project, name)


def _remove_final(out: Path, manifest: dict, key: str) -> list[str]:
    """Remove the files of product `key` if its last build was final."""
    previous = manifest["products"].get(key)
    if not previous or not previous.get("final"):
        return []
    del manifest["products"][key]
    gone = []
    for name in previous.get("files", []):
        manifest["files"].pop(name, None)
        path = out / name
        if path.exists():
            path.unlink()
            gone.append(name)
    return gone


def _withdraw(out: Path, manifest: dict, job: Job) -> str:
    """Remove the files of a final edition whose rebuild failed.

    A final edition is the one people distribute; once the content has
    changed (a provider withdrew consent, a verification lapsed) the old one
    may show what must no longer be shown. A draft is stamped as such and
    stays. Returns what to add to the failure's message."""
    gone = _remove_final(out, manifest, job.key)
    if not gone:
        return ""
    return (f"; the previous final edition ({', '.join(gone)}) was removed, as "
            "this build could not confirm it is still fit to hand out.")


def _clash(out: Path, manifest: dict, writers: dict[str, str], job: Job
           ) -> str | None:
    """Why `job` may not write its files, if another product writes one of
    them: a layout of one's own can be named so that its file is another's
    (a layout 'print-a4-imposed' would replace the imposed print copy)."""
    for path in job.outputs:
        other = writers.get(path)
        if other is None and (out / path).exists():
            other = manifest["files"].get(path, {}).get("product")
        if other and other != job.key:
            return (f"{path} is the file of {other}, which this build would "
                    "overwrite; build it under another name (another layout "
                    f"name), or delete {out / path} first if {other} no longer "
                    "exists")
    return None


def _remove_leftovers(out: Path) -> None:
    """Temporary files of a build that was killed while writing."""
    for path in out.rglob(".*.tmp"):
        path.unlink(missing_ok=True)


def _nothing_left(selection: Selection) -> str:
    reasons = Counter(d.reason for d in selection.decisions
                      if d.action == "excluded")
    listed = "; ".join(f"{reason}: {n}" for reason, n in reasons.most_common())
    fixes = []
    if any(reason.startswith("no ") and "consent" in reason for reason in reasons):
        fixes.append("record each consent once it is given, in the provider's "
                     "file (consent: print/digital: given: yes, with its date)")
    if any(reason.startswith("verified on") for reason in reasons):
        fixes.append("verify the entries again and update verification.date")
    if selection.edition.final:
        fixes.append("or build without --final for a draft to review")
    elif selection.edition.skip_unverified:
        fixes.append("or build without --skip-unverified")
    return (f"nothing left to publish: all {sum(reasons.values())} provider(s) "
            f"in scope were left out ({listed}); nothing was written"
            + (". Fix: " + "; ".join(fixes) if fixes else ""))


def _failure(job: Job, exc: Exception) -> str:
    """What a failed job says, plainly: our own errors carry their message; anything
    else is a defect, logged with its traceback and named as such."""
    if isinstance(exc, BookletError):
        return str(exc)
    log.error("%s failed", job.key, exc_info=exc)
    return (f"internal error ({type(exc).__name__}: "
            f"{str(exc).splitlines()[0] if str(exc) else ''}); "
            "please report it with the content that caused it")


def _report(job: Job, selection: Selection) -> ProductReport:
    report = ProductReport(job.key, job.product, job.edition.audience,
                           job.edition.final)
    for decision in selection.decisions:
        if decision.action == "excluded":
            report.excluded.append({"provider": decision.provider,
                                    "reason": decision.reason})
        else:
            report.included.append(decision.provider)
            if decision.action == "redacted":
                report.redacted.append({"provider": decision.provider,
                                        "what": decision.reason})
    return report


def _up_to_date(out: Path, previous: dict, fp: str, manifest: dict) -> bool:
    if previous.get("fingerprint") != fp or not previous.get("files"):
        return False
    for name in previous["files"]:
        path = out / name
        entry = manifest["files"].get(name)
        if entry is None or not path.exists():
            return False
        if os.path.getsize(path) != entry["bytes"]:
            return False
    return True
