"""Shared preview links (/preview/<token>/): an article before it is published, for people
without an account. The reader site's own URLs are website.urls."""

from django.urls import path

from . import preview_views

app_name = "articles"

urlpatterns = [
    path("preview/<str:token>/", preview_views.preview_link_view, name="preview"),
]
