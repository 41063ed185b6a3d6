"""Who may do what to an article. Services enforce these; the admin and the API ask them too,
to hide what a user may not do, so every entry point agrees."""

from .models import Article

REPORTER_EDITABLE = {Article.Status.DRAFT, Article.Status.IN_REVIEW}


def is_editor(user) -> bool:
    return bool(user and user.is_active and user.has_perm("articles.publish_article"))


def is_byline_author(user, article: Article) -> bool:
    if not (user and user.is_authenticated) or article.pk is None:
        return False
    return article.bylines.filter(author__user=user).exists()


def can_create(user) -> bool:
    return bool(user and user.is_active and user.has_perm("articles.add_article"))


def can_edit(user, article: Article) -> bool:
    """Editors edit everything; reporters their own drafts and in-review articles."""
    if not (user and user.is_active):
        return False
    if user.has_perm("articles.edit_any_article"):
        return True
    if not user.has_perm("articles.change_article"):
        return False
    if article.status not in REPORTER_EDITABLE:
        return False
    return article.created_by_id == user.pk or is_byline_author(user, article)


def can_propose_change(user, article: Article) -> bool:
    """A reporter on the byline of a live article may propose an edit for an editor to review."""
    return (
        bool(user and user.is_active)
        and user.has_perm("articles.add_changeproposal")
        and article.status == Article.Status.PUBLISHED
        and not can_edit(user, article)
        and is_byline_author(user, article)
    )


def can_view_draft(user, article: Article) -> bool:
    """Staff who may see the article in the admin may preview it."""
    if not (user and user.is_active and user.is_staff):
        return False
    return is_editor(user) or user.has_perm("articles.view_article")
