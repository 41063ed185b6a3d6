from django.apps import AppConfig


class CommentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "comments"
    verbose_name = "Comments"

    def ready(self):
        from django.db.models.signals import post_delete

        from articles.pagecache import register_late_value

        from . import handlers  # noqa: F401 - registers the outbox handlers
        from .models import Comment
        from .rendering import form_stamp_value, pending_notice

        post_delete.connect(_comment_deleted, sender=Comment, dispatch_uid="comments.deleted")
        # Per-response parts of the cached article page (see articles.pagecache).
        register_late_value("commentstamp", form_stamp_value)
        register_late_value("commentpending", pending_notice)


def _comment_deleted(sender, instance, **kwargs):
    """A deleted approved comment disappears from its article's cached page."""
    if instance.status == instance.Status.APPROVED:
        from .purges import comments_changed

        comments_changed(instance.article_id)
