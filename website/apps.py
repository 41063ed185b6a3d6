from django.apps import AppConfig


class WebsiteConfig(AppConfig):
    """The reader site: pages, feeds, sitemaps, fragments and the per-reader endpoint. It sits
    above the content apps (articles, comments, newsletter, publication, authors) and imports
    from them; nothing below imports it."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "website"
    verbose_name = "Reader site"

    def ready(self) -> None:
        from articles.preview_views import preview_renderer_register

        from .views import render_article_preview

        preview_renderer_register(render_article_preview)
