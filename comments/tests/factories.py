import factory
from django.utils import timezone

from articles.tests.factories import ArticleFactory
from comments import text
from comments.identities import ip_hash
from comments.models import Comment, Flag, Reason, WordRule


class CommentFactory(factory.django.DjangoModelFactory):
    """An approved comment on a published article; states via traits (pending=True)."""

    class Meta:
        model = Comment

    article = factory.SubFactory(ArticleFactory, published=True)
    parent = None
    author_name = factory.Sequence(lambda n: f"Reader {n}")
    author_email = factory.Sequence(lambda n: f"reader{n}@example.org")
    body = factory.Sequence(lambda n: f"An opinion on the harbour plan, number {n}.")
    status = Comment.Status.APPROVED
    reasons = factory.LazyFunction(lambda: [Reason.PREMODERATION])
    reason = Reason.MANUAL
    ip_address = "203.0.113.7"
    ip_hash = factory.LazyAttribute(lambda c: ip_hash(c.ip_address))
    user_agent = "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0"
    content_hash = factory.LazyAttribute(lambda c: text.content_hash(c.body))
    created_at = factory.LazyFunction(timezone.now)

    class Params:
        pending = factory.Trait(status=Comment.Status.PENDING, reason=Reason.PREMODERATION)
        rejected = factory.Trait(status=Comment.Status.REJECTED)
        spam = factory.Trait(status=Comment.Status.SPAM)

    @factory.lazy_attribute
    def depth(self):
        return self.parent.depth + 1 if self.parent else 0

    @factory.lazy_attribute
    def in_reply_to(self):
        return self.parent


class FlagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Flag

    comment = factory.SubFactory(CommentFactory)
    reason = Flag.Reason.ABUSE
    reporter_ip = factory.Sequence(lambda n: f"198.51.100.{n % 250 + 1}")
    reporter_ip_hash = factory.LazyAttribute(lambda f: ip_hash(f.reporter_ip))


class WordRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WordRule

    phrase = factory.Sequence(lambda n: f"badword{n}")
    kind = WordRule.Kind.SUSPECT
