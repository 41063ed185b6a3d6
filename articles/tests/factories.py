import factory
from django.utils import timezone

from articles.models import Article, Byline, Correction, Entry, RelatedLink, Section
from authors.tests.factories import AuthorFactory


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Section {n}")
    slug = factory.Sequence(lambda n: f"section-{n}")
    position = factory.Sequence(lambda n: n)


class ArticleFactory(factory.django.DjangoModelFactory):
    """A draft by default; states via traits: ArticleFactory(published=True)."""

    class Meta:
        model = Article
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Council approves harbour plan, part {n}")
    slug = factory.Sequence(lambda n: f"council-approves-harbour-plan-{n}")
    dek = "The vote ends two years of debate over the waterfront."
    body = factory.LazyFunction(
        lambda: "".join(f"<p>Paragraph {i} of the report on the harbour.</p>" for i in range(5))
    )
    section = factory.SubFactory(SectionFactory)
    status = Article.Status.DRAFT

    class Params:
        in_review = factory.Trait(status=Article.Status.IN_REVIEW)
        scheduled = factory.Trait(
            status=Article.Status.SCHEDULED,
            publish_at=factory.LazyFunction(lambda: timezone.now() + timezone.timedelta(hours=1)),
        )
        published = factory.Trait(
            status=Article.Status.PUBLISHED,
            published_at=factory.LazyFunction(timezone.now),
            first_published_at=factory.SelfAttribute("published_at"),
        )
        # Live coverage running since now (combine with published=True for readers to see it).
        live = factory.Trait(live_since=factory.LazyFunction(timezone.now))
        unpublished = factory.Trait(
            status=Article.Status.UNPUBLISHED,
            published_at=factory.LazyFunction(timezone.now),
            first_published_at=factory.SelfAttribute("published_at"),
        )

    @factory.post_generation
    def authors(self, create, extracted, **kwargs):
        """ArticleFactory(authors=[author, (author2, "Photos by")])."""
        if not create or not extracted:
            return
        for position, item in enumerate(extracted):
            author, role = item if isinstance(item, tuple) else (item, "")
            Byline.objects.create(article=self, author=author, role=role, position=position)

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.set(list(extracted))


class BylineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Byline

    article = factory.SubFactory(ArticleFactory)
    author = factory.SubFactory(AuthorFactory)
    position = factory.Sequence(lambda n: n)


class RelatedLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RelatedLink

    article = factory.SubFactory(ArticleFactory)
    target = factory.SubFactory(ArticleFactory, published=True)
    position = factory.Sequence(lambda n: n)


class CorrectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Correction

    article = factory.SubFactory(ArticleFactory, published=True)
    kind = Correction.Kind.CORRECTION
    text = "An earlier version misstated the date of the vote."


class EntryFactory(factory.django.DjangoModelFactory):
    """An entry of live coverage; the service (articles.services.live.entry_post) is what
    posts one, this only builds rows for reads."""

    class Meta:
        model = Entry
        skip_postgeneration_save = True

    article = factory.SubFactory(ArticleFactory, published=True, live=True)
    title = ""
    body = factory.Sequence(lambda n: f"<p>Update {n}: the harbour vote goes on.</p>")

    @factory.post_generation
    def authors(self, create, extracted, **kwargs):
        if create and extracted:
            self.authors.set(list(extracted))
