"""Reading an article's history: snapshots of revisions and readable diffs between them."""

import difflib
from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.utils.html import escape, strip_tags
from reversion.models import Version

from authors.models import Author

from .models import Article, Byline

DIFF_FIELDS = [
    ("title", "Title"),
    ("slug", "Slug"),
    ("dek", "Standfirst"),
    ("body", "Body"),
    ("credit_line", "Credit line"),
    ("hero_alt", "Hero alt text"),
    ("hero_caption", "Hero caption"),
    ("hero_credit", "Hero credit"),
    ("seo_title", "SEO title"),
    ("meta_description", "Meta description"),
    ("canonical_url", "Canonical URL"),
]


@dataclass
class Snapshot:
    article_id: int
    version_id: int | None
    created_at: datetime
    user: object | None
    comment: str
    fields: dict
    bylines: list[tuple[Author, str]] = field(default_factory=list)

    @property
    def byline_text(self) -> str:
        return ", ".join(f"{a.name} ({r})" if r else a.name for a, r in self.bylines)


def versions_for(article: Article):
    """Newest first, with who and when."""
    return Version.objects.get_for_object(article).select_related("revision__user")


def snapshot_from_version(version: Version) -> Snapshot:
    fields = dict(version.field_dict)
    if "section_id" in fields and "section" not in fields:
        fields["section"] = fields.pop("section_id")
    section_id = fields.get("section")
    if section_id is not None and not hasattr(section_id, "pk"):
        from .models import Section

        fields["section"] = Section.objects.filter(pk=section_id).first()
    byline_type = ContentType.objects.get_for_model(Byline)
    rows = []
    for byline_version in version.revision.version_set.filter(content_type=byline_type):
        data = byline_version.field_dict
        if int(data.get("article", data.get("article_id"))) == int(version.object_id):
            rows.append(data)
    rows.sort(key=lambda d: (d.get("position", 0), int(d.get("id", 0))))
    authors = Author.objects.in_bulk([d.get("author", d.get("author_id")) for d in rows])
    bylines = [
        (authors[d.get("author", d.get("author_id"))], d.get("role", ""))
        for d in rows
        if d.get("author", d.get("author_id")) in authors
    ]
    return Snapshot(
        article_id=int(version.object_id),
        version_id=version.pk,
        created_at=version.revision.date_created,
        user=version.revision.user,
        comment=version.revision.get_comment(),
        fields=fields,
        bylines=bylines,
    )


def snapshot_at_version(article: Article, version: int, *, limit: int = 200) -> Snapshot | None:
    """The article as its latest revision at or before ``version`` (its version counter) held
    it, or None when no stored revision is that old (among the latest ``limit``)."""
    for stored in versions_for(article)[:limit]:
        recorded = stored.field_dict.get("version")
        if recorded is not None and int(recorded) <= version:
            return snapshot_from_version(stored)
    return None


def snapshot_from_article(article: Article) -> Snapshot:
    fields = {name: getattr(article, name) for name, _ in DIFF_FIELDS}
    fields["section"] = article.section
    return Snapshot(
        article_id=article.pk,
        version_id=None,
        created_at=article.modified_at,
        user=article.last_edited_by,
        comment="Live version",
        fields=fields,
        bylines=[(b.author, b.role) for b in article.bylines.select_related("author")],
    )


def _text(value) -> list[str]:
    text = strip_tags(str(value or "")).replace("\r\n", "\n")
    # Block-level HTML becomes one line per paragraph for a readable diff.
    return [line for line in text.replace("</p>", "\n").split("\n") if line.strip()] or [""]


def _html_diff(old_lines: list[str], new_lines: list[str]) -> str:
    """Inline word-level markup: removed words in <del>, added words in <ins>; all escaped."""
    old_words = " \n ".join(old_lines).split(" ")
    new_words = " \n ".join(new_lines).split(" ")
    out = []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            out.append(escape(" ".join(old_words[a1:a2])))
            continue
        if op in ("delete", "replace"):
            out.append(f"<del>{escape(' '.join(old_words[a1:a2]))}</del>")
        if op in ("insert", "replace"):
            out.append(f"<ins>{escape(' '.join(new_words[b1:b2]))}</ins>")
    return " ".join(out).replace(" \n ", "<br>").replace("\n", "<br>")


def text_diff_html(before, after) -> str:
    """One field's change as escaped inline markup (<del>/<ins>)."""
    return _html_diff(_text(before), _text(after))


def snapshot_diff(old: Snapshot, new: Snapshot) -> list[dict]:
    """Changed fields only: [{"field", "label", "html"}], the html escaped and safe to show."""
    changes = []
    for name, label in DIFF_FIELDS:
        before, after = old.fields.get(name, ""), new.fields.get(name, "")
        if (before or "") == (after or ""):
            continue
        changes.append(
            {"field": name, "label": label, "html": _html_diff(_text(before), _text(after))}
        )
    before_section, after_section = old.fields.get("section"), new.fields.get("section")
    if before_section != after_section:
        changes.append(
            {
                "field": "section",
                "label": "Section",
                "html": _html_diff([str(before_section or "")], [str(after_section or "")]),
            }
        )
    if old.byline_text != new.byline_text:
        changes.append(
            {
                "field": "bylines",
                "label": "Bylines",
                "html": _html_diff([old.byline_text], [new.byline_text]),
            }
        )
    return changes


def proposal_snapshot(proposal) -> Snapshot:
    """The live article with a proposal's changes applied, for the editor's review diff."""
    live = snapshot_from_article(proposal.article)
    return Snapshot(
        article_id=live.article_id,
        version_id=None,
        created_at=proposal.created_at,
        user=proposal.proposed_by,
        comment="Proposed change",
        fields={**live.fields, **proposal.data},
        bylines=live.bylines,
    )
