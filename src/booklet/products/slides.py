"""The consultation presentation: 16:9 slides summarising the mapping."""

from __future__ import annotations

from xml.sax.saxutils import escape

from booklet.compose.summary import Summary, summarise
from booklet.compose.text import format_count, format_date, pick
from booklet.errors import LayoutError
from booklet.finish.output import Artifact
from booklet.finish.pdfmeta import dated
from booklet.products import Job, Made, edition_from
from booklet.products.docx import langs_from
from booklet.render import fonts
from booklet.render.slides import Deck, Slide
from booklet.select import Selection

PRODUCT = "slides"


def plan(project, request: dict) -> list[Job]:
    edition = edition_from(request, "public", "print")
    return [Job(PRODUCT, f"slides-{lang}", edition, (("lang", lang),),
                (f"slides/consultation-{lang}.pdf",))
            for lang in langs_from(request)]


def _composed(project, job: Job, selection: Selection) -> tuple[dict, list[Slide]]:
    """The deck's page furniture (Deck's arguments) and its slides."""
    lang = job.param("lang")
    layouts = project.layouts
    layout = layouts.get("slides")
    strings = layouts.strings(lang)
    summary = summarise(selection, lang, strings)
    deck = DeckPlan(layouts, layout, selection, summary, strings, lang)
    doc = selection.content.document
    title = pick(doc.title, lang)[0]
    date = format_date(doc.settings.edition_date, strings)
    furniture = {
        "layout": layout, "lang": lang,
        "stamp": strings["draft_stamp"] if selection.edition.draft else "",
        "footer": deck.text["footer"].format(title=title, date=date),
        "meta": {"title": f"{title} – {deck.text['subtitle']}", "lang": lang,
                 "subject": deck.text["subtitle"],
                 "author": pick(doc.publisher, lang)[0]}}
    return furniture, deck.slides()


def printed(project, job: Job, selection: Selection) -> str:
    """Everything the deck prints, as text: build.py rebuilds the deck only
    when this changes, not at every change to an entry it merely counts."""
    furniture, slides = _composed(project, job, selection)
    return repr((furniture, slides))  # as make() records it


def make(project, job: Job, selection: Selection) -> Made:
    fonts.register(project.layouts.fonts())
    furniture, slides = _composed(project, job, selection)
    renderer = Deck(furniture["layout"], furniture["lang"], furniture["stamp"],
                    furniture["footer"], furniture["meta"])
    data, pages = renderer.draw(slides)
    data = dated(data, selection.content.document.settings.edition_date)
    return Made([Artifact(job.outputs[0], data, pages, "pdf")],
                printed=repr((furniture, slides)))


def blocks(text: str) -> list[tuple[str, str]]:
    """Template output as (kind, markup) blocks: blank lines separate blocks,
    a block starting with '- ' is a bullet."""
    out = []
    for block in text.split("\n\n"):
        block = " ".join(line.strip() for line in block.splitlines()).strip()
        if not block:
            continue
        if block.startswith("- "):
            out.append(("bullet", block[2:]))
        else:
            out.append(("para", block))
    return out


class DeckPlan:
    """Which slides the deck holds and what each one says."""

    def __init__(self, layouts, layout: dict, selection: Selection,
                 summary: Summary, strings: dict, lang: str):
        self.layouts, self.layout, self.selection = layouts, layout, selection
        self.s, self.strings, self.lang = summary, strings, lang
        self.text = layout["text"][lang]
        self.per_slide = int(layout.get("rows_per_slide", 12))

    def slides(self) -> list[Slide]:
        out: list[Slide] = []
        for kind in self.layout["deck"]:
            method = getattr(self, f"_{kind}", None)
            if method is None:
                raise LayoutError(
                    f"slides layout: unknown slide '{kind}' in deck; use title, "
                    "scope, figures, region, province, kind, category, matrix, "
                    "gaps, eligibility, progress or questions")
            out.extend(method())
        return out

    def template(self, name: str) -> list[tuple[str, str]]:
        content = self.selection.content
        text = self.layouts.template(f"slides/{self.lang}/{name}.xml.j2").render(
            s=self.s, lang=self.lang, regions=len(content.regions),
            n=lambda value: format_count(value, self.lang),
            # The kinds of service the directory holds, not those defined.
            categories=sum(1 for c in self.s.by_category if c.count))
        return blocks(text)

    def split(self, rows: list) -> list[list]:
        n = self.per_slide
        return [rows[i:i + n] for i in range(0, len(rows), n)] or [[]]

    def titled(self, title: str, parts: int, i: int) -> str:
        return f"{title} {self.text['continued']}" if parts > 1 and i else title

    # -- the slides -------------------------------------------------------
    def _title(self):
        doc = self.selection.content.document
        date = format_date(doc.settings.edition_date, self.strings)
        return [Slide("title", escape(pick(doc.title, self.lang)[0]), {
            "subtitle": escape(self.text["subtitle"]),
            "lines": [escape(pick(doc.publisher, self.lang)[0]),
                      escape(self.text["edition"].format(date=date))]})]

    def _scope(self):
        return [Slide("text", self.text["scope"], {"blocks": self.template("scope")})]

    def _questions(self):
        return [Slide("text", self.text["questions"],
                      {"blocks": self.template("questions")})]

    def _figures(self):
        s, t = self.s, self.text
        covered = len(s.by_province)
        total = format_count(s.total, self.lang)
        cards = [
            (s.total, t["card_total"]), (s.national, t["card_national"]),
            (covered, t["card_provinces"].format(total=s.provinces_total)),
            (s.services, t["card_services"]),
            (s.progress.verified, t["card_verified"].format(total=total)),
            (s.progress.consent_confirmed, t["card_consent"].format(total=total))]
        return [Slide("figures", t["figures"], {"cards": [
            (format_count(number, self.lang), label) for number, label in cards]})]

    def bars(self, key: str, counts: list, note: str = "") -> list[Slide]:
        parts = self.split(counts)
        # A chart over several slides keeps one scale, bar height and label
        # column: the same count is the same length on each.
        return [Slide("bars", self.titled(self.text[key], len(parts), i),
                      {"counts": part, "note": escape(note), "scale": counts,
                       "rows": max(len(p) for p in parts)})
                for i, part in enumerate(parts) if part]

    def _note(self, key: str) -> str:
        """A chart's note; without nationwide providers, the version that
        does not speak of "the 0 nationwide providers"."""
        if not self.s.national:
            return self.text[f"{key}_local"]
        return self.text[key].format(national=self.s.national)

    def _region(self):
        return self.bars("region", self.s.by_region, self._note("region_note"))

    def _province(self):
        return self.bars("province", self.s.by_province,
                         self._note("province_note"))

    def _kind(self):
        return self.bars("kind", self.s.by_kind)

    def _category(self):
        return self.bars("category", self.s.by_category, self.text["category_note"])

    def _matrix(self):
        m = self.s.matrix
        rows = [(r.label, cells, False) for r, cells in zip(m.rows, m.cells,
                                                             strict=True)]
        national = (self.text["matrix_national"], m.national, True)
        top = max([n for row in m.cells for n in row] or [1])
        parts = self.split(rows) if rows else [[]]
        return [Slide("matrix", self.titled(self.text["matrix"], len(parts), i), {
            "rows": [national, *part], "columns": [c.label for c in m.columns],
            "max": top, "note": escape(self.text["matrix_note"])})
            for i, part in enumerate(parts)]

    def _gaps(self):
        s, t = self.s, self.text
        content = self.selection.content
        missing = {c.code for c in s.provinces_without}
        groups = []
        for region in content.regions:
            names = [escape(c.label) for c in s.provinces_without
                     if c.code in region.provinces and c.code in missing]
            if names:
                groups.append((escape(pick(region.name, self.lang)[0]), names))
        lead = (t["gaps_lead"].format(count=len(s.provinces_without),
                                      total=s.provinces_total)
                if s.provinces_without else t["gaps_none"])
        note = t["gaps_note"].format(national=s.national) if groups else ""
        return [Slide("groups", t["gaps"], {
            "lead": escape(lead), "groups": groups, "note": escape(note)})]

    def _eligibility(self):
        t = self.text

        def column(limits, key):
            return {"number": format_count(sum(limit.services for limit in limits),
                                           self.lang),
                    "caption": escape(t[key].format(providers=len(limits))),
                    "items": [t["limit_item"].format(
                        provider=escape(limit.provider),
                        categories=escape(", ".join(limit.categories)))
                        for limit in limits],
                    "empty": escape(t["limits_none"]),
                    "more": t["limits_more"]}

        return [Slide("columns", t["eligibility"], {"columns": [
            column(self.s.exclude_men, "exclude_men"),
            column(self.s.need_status, "need_status")]})]

    def _progress(self):
        p, t, months = self.s.progress, self.text, self.s.max_age_months
        notes = [t["no_verification"]] if not p.verified else [t["oldest"].format(
            date=format_date(p.oldest, self.strings),
            date2=format_date(p.newest, self.strings))]
        return [Slide("progress", t["progress"], {"measures": [
            {"title": t["verification"], "parts": [
                (p.fresh, t["verified_fresh"].format(months=months), "good"),
                (p.stale, t["verified_stale"].format(months=months), "warn"),
                (p.desk_research, t["desk_research"], "neutral")]},
            {"title": t["consent"], "parts": [
                (p.consent_confirmed, t["consent_yes"], "good"),
                (p.consent_pending, t["consent_pending"], "neutral"),
                (p.consent_refused, t["consent_refused"], "warn")]}],
            "notes": notes})]
