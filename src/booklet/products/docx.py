"""The Word review copy of the public directory: Part 1 and Part 2 in Word."""

from __future__ import annotations

import logging

from booklet.compose.entry import (
    EntryView,
    also_serves,
    care_known,
    short_shown,
    view,
)
from booklet.compose.outline import outline
from booklet.compose.text import (
    format_date,
    format_hours,
    pick,
    shown_number,
    tel_uri,
    web_link,
)
from booklet.errors import EditionError
from booklet.finish.output import Artifact
from booklet.model import LANGS
from booklet.products import Job, Made, edition_from
from booklet.render.docx import Writer
from booklet.select import Selection

log = logging.getLogger(__name__)

PRODUCT = "docx"


def langs_from(request: dict) -> list[str]:
    """The languages a request asks for: 'vi', 'en', 'vi+en' or all."""
    asked = request.get("lang")
    if not asked:
        return list(LANGS)
    parts = str(asked).split("+")
    unknown = [part for part in parts if part not in LANGS]
    if unknown:
        raise EditionError(
            f"'{asked}' is not a language of the Word copy and slides; use "
            + ", ".join(LANGS) + " or vi+en")
    return [lang for lang in LANGS if lang in parts]


def plan(project, request: dict) -> list[Job]:
    edition = edition_from(request, "public", "print")
    return [Job(PRODUCT, f"docx-{lang}", edition, (("lang", lang),),
                (f"review/directory-{lang}.docx",)) for lang in langs_from(request)]


def make(project, job: Job, selection: Selection) -> Made:
    lang = job.param("lang")
    layouts = project.layouts
    layout = layouts.get("docx")
    # The headings are the printed directory's own, so that reviewers
    # comment on what will be printed.
    words = layouts.get("directory")["words"][lang]
    text = {**layout["text"][lang],
            "part1": f"{words['part1']}. {words['part1_title']}",
            "part2": f"{words['part2']}. {words['part2_title']}",
            "hotlines": words["hotlines"], "legend": words["legend"],
            "national_scope": words["national_scope"],
            "also_listed": words["also_listed"]}
    book = ReviewCopy(Writer(layout, lang), selection, layouts.strings(lang),
                      text, layout["tables"], lang)
    data = book.write()
    return Made([Artifact(job.outputs[0], data, None, "docx")], book.warnings)


class ReviewCopy:
    """Lays out the directory's parts as Word paragraphs, headings and tables."""

    def __init__(self, writer: Writer, selection: Selection, strings: dict,
                 text: dict, tables: dict, lang: str):
        self.w, self.selection, self.strings = writer, selection, strings
        self.text, self.tables, self.lang = text, tables, lang
        self.content = selection.content
        self.draft = selection.edition.draft
        self.warnings: list[str] = []

    def write(self) -> bytes:
        doc = self.content.document
        title = pick(doc.title, self.lang)[0]
        self.w.furniture(title, self.strings["draft_stamp"] if self.draft else "",
                         self.strings["page"])
        self.title_page(title)
        self.part1()
        self.part2()
        return self.w.save(doc.settings.edition_date, title,
                           pick(doc.subtitle, self.lang)[0],
                           pick(doc.publisher, self.lang)[0])

    # -- helpers --------------------------------------------------------
    def fallback(self, paragraph, line) -> None:
        """Text in the other language carries a visible marker."""
        self.w.run(paragraph, line.text)
        if line.fallback:
            self.w.run(paragraph, f" {self.strings['translation_missing']}",
                       "Fallback")

    def field(self, label: str, value=None, style: str = "Entry Field"):
        paragraph = self.w.para(style=style)
        self.w.run(paragraph, f"{label}: ", "Label")
        if isinstance(value, str):
            self.w.run(paragraph, value)
        elif value is not None:
            self.fallback(paragraph, value)
        return paragraph

    def legend(self, heading: str, rows: list[tuple[str, str]]) -> None:
        self.w.heading(heading, 3)
        table = self.w.table([self.text["col_code"], self.text["col_meaning"]],
                             self.tables["legend"], self.tables["style"])
        for code, meaning in rows:
            self.w.row(table, [code, meaning])

    def legend_list(self, heading: str, items: list[str], note: str = "") -> None:
        self.w.heading(heading, 3)
        self.w.para(" · ".join(items))
        if note:
            self.w.para(note, "Note")

    # -- title page -----------------------------------------------------
    def title_page(self, title: str) -> None:
        doc = self.content.document
        self.w.para(title, "Title")
        if doc.subtitle:
            self.w.para(pick(doc.subtitle, self.lang)[0], "Subtitle")
        self.w.para(pick(doc.publisher, self.lang)[0])
        date = format_date(doc.settings.edition_date, self.strings)
        self.w.para(self.text["edition"].format(date=date))
        if self.draft:
            self.w.para(self.strings["draft_stamp"], "Review Mark")
            self.w.para(self.text["review_note"], "Note")
        else:
            self.w.para(self.text["final_note"], "Note")
        self.w.para(pick(doc.disclaimer, self.lang)[0], "Note")

    # -- Part 1 ---------------------------------------------------------
    def part1(self) -> None:
        s, t = self.strings, self.text
        self.w.heading(t["part1"], 1)
        for section in self.content.guidance.sections:
            self.w.heading(pick(section.title, self.lang)[0], 2)
            for body in section.body:
                self.w.para(pick(body, self.lang)[0])
        self.hotlines()
        self.w.heading(t["legend"], 2)
        self.legend(t["legend_categories"], [
            (pick(c.short, self.lang)[0], pick(c.name, self.lang)[0])
            for c in self.content.categories])
        self.legend(t["legend_eligibility"], [
            (c.abbreviation, pick(c.label, self.lang)[0])
            for c in self.content.criteria])
        self.legend_list(t["legend_cost"], list(s["cost"].values()))
        self.legend_list(t["legend_fees"], list(s["fees"].values()))
        self.legend_list(t["legend_verification"], [
            t["verification_example"], s["not_verified"],
            *([s["consent_pending"], s["consent_refused"]] if self.draft
              else [])])
        self.legend_list(t["legend_care"], list(s["care"].values()),
                         t["care_answers"])
        self.legend_list(t["legend_kinds"], list(s["kind"].values()))

    def hotlines(self) -> None:
        s, t = self.strings, self.text
        self.w.heading(t["hotlines"], 2)
        table = self.w.table(
            [t["col_number"], t["col_name"], t["col_cost"], t["col_hours"],
             t["col_note"]], self.tables["hotlines"], self.tables["style"])
        for hotline in self.content.document.hotlines:
            self.w.row(table, [
                self.phone_link(hotline.number),
                pick(hotline.name, self.lang)[0], s["cost"][hotline.cost.value],
                format_hours(hotline.hours, s, self.lang),
                pick(hotline.note, self.lang)[0]])

    def phone_link(self, number: str, tel: str | None = None):
        return lambda p: self.w.link(p, shown_number(number), tel or tel_uri(number))

    # -- Part 2 ---------------------------------------------------------
    def part2(self) -> None:
        self.w.heading(self.text["part2"], 1)
        order = outline(self.selection, self.lang)
        if order.national:
            self.w.heading(self.strings["national"], 2)
            for entry in order.national:
                self.entry(entry, None)
        for region in order.regions:
            self.w.heading(region.name, 2)
            for province in region.provinces:
                self.w.heading(province.name, 3)
                for entry in province.entries:
                    self.entry(entry, province.province.code)

    def entry(self, entry, here: str | None) -> None:
        """One provider, as the directory prints it under province `here`
        (None: the national section)."""
        v = view(entry, self.content, self.strings, self.lang)
        s, t = self.strings, self.text
        # One level below its section: a national service sits under
        # "National services" (2), a provincial one under its province (3),
        # so that Word's navigation pane and screen readers skip no level.
        heading = self.w.heading("", 3 if here is None else 4)
        self.fallback(heading, v.name)
        also = also_serves(entry.provider, self.content, here, self.lang)
        scope = t["national_scope"] if v.national else (
            f"{t['also_listed']}: {also}" if also else "")
        meta = [x for x in (short_shown(v), v.other_name, v.kind, scope,
                            f"{t['entry_id']}: {v.id}") if x]
        self.w.para(" · ".join(meta), "Entry Meta")
        if self.draft and v.consent_pending:
            self.w.para(s["consent_refused"] if v.consent_refused
                        else s["consent_pending"], "Review Mark")
        self.w.para(v.verification, "Verification" if v.verified else
                    ("Review Mark" if self.draft else "Verification"))
        self.address(v)
        if v.hours:
            self.field(s["hours"], v.hours)
        self.phones(v)
        self.contacts(v)
        self.services(v)
        if v.languages:
            self.field(s["languages"], ", ".join(v.languages))
        if v.referral.get("process"):
            self.field(s["referral"], v.referral["process"])
        known = care_known(v)
        if known:
            self.field(s["care_standards"], "; ".join(
                f"{c['label']}: {c['answer_label']}" for c in known))
        if v.sources:
            paragraph = self.field(t["sources"], style="Note")
            for i, url in enumerate(v.sources):
                if i:
                    self.w.run(paragraph, " · ")
                self.w.link(paragraph, url, web_link(url))
        if v.fallbacks:
            self.warnings.append(
                f"{v.id}: {', '.join(v.fallbacks)} shown in the other language")

    def address(self, v: EntryView) -> None:
        s = self.strings
        if v.address_withheld:
            self.field(s["address"], s["address_withheld"])
        elif v.address:
            self.field(s["address"], v.address)
            if v.address_note:
                self.w.para(v.address_note.text, "Note")
        if v.how_to_reach:
            self.fallback(self.w.para(style="Entry Field"), v.how_to_reach)

    def phones(self, v: EntryView) -> None:
        if not v.phones:
            return
        t = self.text
        table = self.w.table([t["col_number"], t["col_label"], t["col_cost"],
                              t["col_hours"]], self.tables["phones"],
                             self.tables["style"])
        for phone in v.phones:
            label = phone.label.text or (self.strings["hotline"] if phone.hotline
                                         else "")
            if phone.caution:
                # Printed as written but never dialled: say why, as in print.
                label = " · ".join(filter(None, (label, phone.caution)))
            self.w.row(table, [self.phone_link(phone.number, phone.tel), label,
                               phone.cost, phone.hours])

    def contacts(self, v: EntryView) -> None:
        s = self.strings
        for key, value, target in (
                ("email", v.email, f"mailto:{v.email}"),
                ("website", v.website, web_link(v.website)),
                ("facebook", v.facebook, web_link(v.facebook))):
            if value:
                self.w.link(self.field(s[key]), value, target)
        if v.zalo:
            self.field(s["zalo"], v.zalo)

    def services(self, v: EntryView) -> None:
        t = self.text
        table = self.w.table([t["col_category"], t["col_description"],
                              t["col_fees"], t["col_eligibility"]],
                             self.tables["services"], self.tables["style"])
        for service in v.services:
            def describe(p, service=service):
                self.fallback(p, service.description)
                for doc in service.documents:
                    self.w.run(p, f"\n{self.strings['documents']}: {doc.text}")

            def fees(p, service=service):
                self.w.run(p, service.fees)
                if service.fees_note:
                    self.w.run(p, f" ({service.fees_note.text})")

            def eligibility(p, service=service):
                parts = [f"{c['label']} ({c['abbreviation']})"
                         for c in service.criteria]
                if service.eligibility_notes:
                    parts.append(service.eligibility_notes.text)
                self.w.run(p, "; ".join(parts))

            self.w.row(table, [service.category_short, describe, fees, eligibility])
