"""Who may see and do what to an article: the one rulebook.

``ArticlePolicy(user, article)`` answers "may this user do X to this article now?" from the
user's role and the article's state together (as Wagtail's page permission tester does);
``visible_to(user)`` answers "which articles may this user see?", and ``tags_visible_to`` and
``authors_visible_to`` follow it. The services enforce these answers; the admin's querysets,
buttons, actions and pages, the API's querysets, filters and endpoints, previews and the revision
history all ask the same functions, so no entry point can disagree. docs/security.md shows the
rules (RULES) for every role and state as one table, and a test keeps the table equal to what
this module answers.
"""

from django.db.models import Exists, OuterRef, Q, QuerySet
from taggit.models import Tag

from authors.models import Author

from .models import Article, Byline, published_q

Status = Article.Status

# The states each workflow step starts from.
SUBMIT_FROM = frozenset({Status.DRAFT})
PUBLISH_FROM = frozenset({Status.DRAFT, Status.IN_REVIEW, Status.SCHEDULED, Status.UNPUBLISHED})
UNPUBLISH_FROM = frozenset({Status.PUBLISHED})
RETURN_TO_DRAFT_FROM = frozenset(
    {Status.IN_REVIEW, Status.SCHEDULED, Status.PUBLISHED, Status.UNPUBLISHED}
)
# The states in which a reporter still edits their own article (later, editors decide).
REPORTER_EDITABLE = frozenset({Status.DRAFT, Status.IN_REVIEW})


# ---------------------------------------------------------------------------
# The role: what a user may do whatever the article
# ---------------------------------------------------------------------------
def _active(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def is_editor(user) -> bool:
    """Editors and administrators: they publish, and see and edit every article."""
    return _active(user) and user.has_perm("articles.publish_article")


def is_newsroom_staff(user) -> bool:
    """Staff who may see articles in the admin (reporters, moderators, editors, admins): they
    see workflow fields (status, version) and their own unpublished work."""
    return (
        _active(user)
        and user.is_staff
        and (is_editor(user) or user.has_perm("articles.view_article"))
    )


def sees_every_article(user) -> bool:
    return is_newsroom_staff(user) and is_editor(user)


def can_create(user) -> bool:
    return _active(user) and user.has_perm("articles.add_article")


def can_edit_some(user) -> bool:
    """May edit at least their own articles (the admin's list offers editing actions)."""
    return _active(user) and user.has_perm("articles.change_article")


# ---------------------------------------------------------------------------
# What a user may see
# ---------------------------------------------------------------------------
def _own(user) -> Q:
    bylined = Exists(Byline.objects.filter(article=OuterRef("pk"), author__user=user))
    return Q(created_by=user) | bylined


def visible_to(user, queryset: QuerySet | None = None) -> QuerySet:
    """The articles ``user`` may see: everyone sees published ones; newsroom staff also their
    own work (created or on the byline) in any state; editors every article."""
    queryset = Article.objects.all() if queryset is None else queryset
    if sees_every_article(user):
        return queryset
    if is_newsroom_staff(user):
        return queryset.filter(published_q() | _own(user))
    return queryset.filter(published_q())


def tags_visible_to(user) -> QuerySet:
    """Tags of articles the user may see (a tag only on someone's embargoed draft can name the
    story); editors see every tag."""
    if sees_every_article(user):
        return Tag.objects.all()
    carried = visible_to(user).filter(tags=OuterRef("pk"))
    return Tag.objects.filter(Exists(carried))


def authors_visible_to(user) -> QuerySet:
    """Active authors and those on the byline of an article the user may see; editors see every
    author."""
    if sees_every_article(user):
        return Author.objects.all()
    bylined = Byline.objects.filter(author=OuterRef("pk"), article__in=visible_to(user))
    return Author.objects.filter(Q(is_active=True) | Q(Exists(bylined)))


# ---------------------------------------------------------------------------
# What a user may do to one article now
# ---------------------------------------------------------------------------
class ArticlePolicy:
    """The answers for one (user, article). ``article`` may be unsaved (a new draft)."""

    def __init__(self, user, article: Article):
        self.user = user
        self.article = article
        self._byline_author: bool | None = None

    # -- who the user is to this article -------------------------------------------------
    @property
    def is_editor(self) -> bool:
        return is_editor(self.user)

    def is_own(self) -> bool:
        """Created by the user, or the user is on its byline."""
        if not _active(self.user) or self.article.pk is None:
            return False
        if self.article.created_by_id == self.user.pk:
            return True
        return self.is_byline_author()

    def is_byline_author(self) -> bool:
        if not _active(self.user) or self.article.pk is None:
            return False
        if self._byline_author is None:  # asked by several rules: one query per policy
            self._byline_author = self.article.bylines.filter(author__user=self.user).exists()
        return self._byline_author

    @property
    def _status(self) -> str:
        return self.article.status

    # -- seeing ---------------------------------------------------------------------------
    def can_view(self) -> bool:
        if self.article.is_published:
            return True
        if not is_newsroom_staff(self.user):
            return False
        return is_editor(self.user) or self.is_own()

    def can_preview(self) -> bool:
        """The admin's preview: the page as readers will see it, for staff who may see it."""
        return is_newsroom_staff(self.user) and self.can_view()

    def can_see_revisions(self) -> bool:
        return is_newsroom_staff(self.user) and self.can_view()

    # -- editing --------------------------------------------------------------------------
    def can_edit(self) -> bool:
        """Editors edit every article; reporters their own drafts and articles in review."""
        if not _active(self.user):
            return False
        if self.user.has_perm("articles.edit_any_article"):
            return True
        if not self.user.has_perm("articles.change_article"):
            return False
        if self._status not in REPORTER_EDITABLE:
            return False
        return self.article.created_by_id == self.user.pk or self.is_byline_author()

    def can_set_expiry(self) -> bool:
        return self.is_editor and self.can_edit()

    def can_propose_change(self) -> bool:
        """A reporter on the byline of a live article proposes an edit for an editor."""
        return (
            _active(self.user)
            and self.user.has_perm("articles.add_changeproposal")
            and self._status == Status.PUBLISHED
            and not self.can_edit()
            and self.is_byline_author()
        )

    def can_decide_proposals(self) -> bool:
        return self.is_editor

    def can_correct(self) -> bool:
        """Add, edit and remove correction notes."""
        return self.is_editor

    def can_delete(self) -> bool:
        """Only an article that was never public: a URL readers had never breaks."""
        return (
            _active(self.user)
            and self.user.has_perm("articles.delete_article")
            and self.can_view()
            and self.article.first_published_at is None
        )

    # -- the workflow ---------------------------------------------------------------------
    def can_submit(self) -> bool:
        return self._status in SUBMIT_FROM and self.can_edit()

    def can_publish(self) -> bool:
        return self._status in PUBLISH_FROM and self.is_editor

    def can_schedule(self) -> bool:
        return self.can_publish()

    def can_unpublish(self) -> bool:
        return self._status in UNPUBLISH_FROM and self.is_editor

    def can_return_to_draft(self) -> bool:
        return self._status in RETURN_TO_DRAFT_FROM and self.is_editor

    def steps(self) -> list[str]:
        """The workflow steps this user may take now, by name (workflow.STEPS)."""
        checks = {
            "submit": self.can_submit,
            "publish": self.can_publish,
            "schedule": self.can_schedule,
            "unpublish": self.can_unpublish,
            "return_to_draft": self.can_return_to_draft,
        }
        return [name for name, check in checks.items() if check()]

    # -- live coverage --------------------------------------------------------------------
    def can_open_live(self) -> bool:
        """Editors turn an article they may see into live coverage (or open it again)."""
        return self.is_editor and self.article.pk is not None and not self.article.is_live

    def can_end_live(self) -> bool:
        """Editors end running coverage; its entries stay on the page."""
        return self.is_editor and self.article.is_live

    def can_remove_live(self) -> bool:
        """Editors turn live coverage, running or ended, back into a plain article."""
        return self.is_editor and self.article.is_live_coverage

    def can_edit_live_summary(self) -> bool:
        return self.is_editor and self.article.is_live_coverage

    def can_post_entry(self) -> bool:
        """While coverage runs, newsroom staff who edit articles and may see this one post."""
        return (
            self.article.is_live
            and is_newsroom_staff(self.user)
            and self.user.has_perm("articles.change_article")
            and self.can_view()
        )

    def is_own_entry(self, entry) -> bool:
        if not _active(self.user):
            return False
        if entry.created_by_id == self.user.pk:
            return True
        return any(author.user_id == self.user.pk for author in entry.authors.all())

    def can_edit_entry(self, entry) -> bool:
        """Editors any entry at any time; others their own (posted by them or on its
        authors) while the coverage runs."""
        if not (is_newsroom_staff(self.user) and self.can_view()):
            return False
        if self.user.has_perm("articles.edit_any_article"):
            return True
        return self.can_post_entry() and self.is_own_entry(entry)

    def can_delete_entry(self, entry) -> bool:
        return self.can_edit_entry(entry)

    def can_alert_entry(self, entry) -> bool:
        """A key event of a published article goes to the breaking-news list, by editors
        (who also need the newsletter's send permission, which the newsletter checks)."""
        return self.is_editor and entry.is_key_event and self.article.is_published

    # -- preview links --------------------------------------------------------------------
    def can_share_preview(self) -> bool:
        return self.can_edit() or self.is_editor

    def can_revoke_preview(self, link) -> bool:
        return self.is_editor or (_active(self.user) and link.created_by_id == self.user.pk)


# ---------------------------------------------------------------------------
# The table in docs/security.md
# ---------------------------------------------------------------------------
RULES = {
    "can_view": "See it (admin list and page, API list, detail and filters)",
    "can_preview": "Preview it as readers will see it",
    "can_see_revisions": "See its revision history",
    "can_edit": "Edit it",
    "can_submit": "Submit it for review",
    "can_publish": "Publish or schedule it",
    "can_unpublish": "Unpublish it",
    "can_return_to_draft": "Return it to draft",
    "can_delete": "Delete it (admin only)",
    "can_propose_change": "Propose a change for an editor",
}

# Live coverage of a published article, as the second table there: (rule, whose entry it asks
# about, label). An entry's delete rule is its edit rule (a test holds them equal).
LIVE_RULES = [
    ("can_open_live", None, "Open live coverage (again once ended)"),
    ("can_end_live", None, "End live coverage"),
    ("can_remove_live", None, "Turn live coverage back into a plain article"),
    ("can_edit_live_summary", None, "Change the summary readers see"),
    ("can_post_entry", None, "Post an entry"),
    ("can_edit_entry", "own", "Edit or delete an entry of their own"),
    ("can_edit_entry", "other", "Edit or delete someone else's entry"),
    ("can_alert_entry", "other", "Send a key event as a breaking-news alert"),
]
