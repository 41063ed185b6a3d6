from django.apps import AppConfig


class CommentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "comments"
    verbose_name = "Comments"

    def ready(self):
        from django.db.models.signals import post_delete

        from . import handlers  # noqa: F401 - registers the outbox handlers
        from .models import Comment

        post_delete.connect(_comment_deleted, sender=Comment, dispatch_uid="comments.deleted")


def _comment_deleted(sender, instance, **kwargs):
    """A deleted approved comment disappears from its article's page in every cache."""
    if instance.status == instance.Status.APPROVED:
        from .purges import comments_changed

        comments_changed(instance.article_id)
