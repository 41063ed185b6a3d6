"""/api/v1/: names are namespaced, e.g. reverse("api:article-list")."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from .views.articles import ArticleViewSet
from .views.docs import SchemaView, SwaggerView

app_name = "api"

router = DefaultRouter(trailing_slash=True, use_regex_path=True)
router.include_format_suffixes = False
router.register("articles", ArticleViewSet, basename="article")

urlpatterns = [
    path("schema/", SchemaView.as_view(), name="schema"),
    path("docs/", SwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("", include(router.urls)),
]
