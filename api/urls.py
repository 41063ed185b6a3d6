"""/api/v1/: names are namespaced, e.g. reverse("api:article-list")."""

from django.urls import include, path, re_path

from .views.articles import ArticleViewSet
from .views.base import NotFoundView, Router
from .views.comments import (
    ArticleCommentsView,
    CommentFlagView,
    CommentModerateView,
    CommentStampView,
)
from .views.docs import SchemaView, SwaggerView, guide
from .views.entries import ArticleEntriesView, EntryAlertView, EntryDetailView
from .views.newsletter import SubscribeView
from .views.proposals import ArticleProposalsView, ProposalAcceptView, ProposalRejectView
from .views.taxonomy import AuthorViewSet, SectionViewSet, TagViewSet

app_name = "api"

router = Router(trailing_slash=True)
router.include_format_suffixes = False
router.register("articles", ArticleViewSet, basename="article")
router.register("authors", AuthorViewSet, basename="author")
router.register("sections", SectionViewSet, basename="section")
router.register("tags", TagViewSet, basename="tag")

urlpatterns = [
    path("schema/", SchemaView.as_view(), name="schema"),
    path("docs/", SwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("guide/", guide, name="guide"),
    path("articles/<int:pk>/comments/", ArticleCommentsView.as_view(), name="article-comments"),
    path("articles/<int:pk>/proposals/", ArticleProposalsView.as_view(), name="article-proposals"),
    path("articles/<int:pk>/entries/", ArticleEntriesView.as_view(), name="article-entries"),
    path(
        "articles/<int:pk>/entries/<int:entry_id>/",
        EntryDetailView.as_view(),
        name="article-entry",
    ),
    path(
        "articles/<int:pk>/entries/<int:entry_id>/alert/",
        EntryAlertView.as_view(),
        name="article-entry-alert",
    ),
    path(
        "articles/<int:pk>/proposals/<int:proposal_id>/accept/",
        ProposalAcceptView.as_view(),
        name="proposal-accept",
    ),
    path(
        "articles/<int:pk>/proposals/<int:proposal_id>/reject/",
        ProposalRejectView.as_view(),
        name="proposal-reject",
    ),
    path("articles/<int:pk>/comments/stamp/", CommentStampView.as_view(), name="comment-stamp"),
    path("comments/<int:pk>/moderate/", CommentModerateView.as_view(), name="comment-moderate"),
    path("comments/<int:pk>/flag/", CommentFlagView.as_view(), name="comment-flag"),
    path("newsletter/subscribe/", SubscribeView.as_view(), name="newsletter-subscribe"),
    path("", include(router.urls)),
    re_path(r"^.*$", NotFoundView.as_view(), name="not-found"),
]
