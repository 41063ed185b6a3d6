"""A change purges exactly the public API documents that show it, through the services'
purges (articles/purges.py, authors/services.py, comments/purges.py): the next anonymous read
of those is rendered again, every other one is still answered by the origin cache."""

import pytest
from taggit.models import Tag

from articles.services.editing import article_update
from articles.services.workflow import article_publish, article_unpublish
from articles.tests.factories import ArticleFactory, SectionFactory
from authors.services import author_update
from authors.tests.factories import AuthorFactory
from comments.models import Comment
from edgecache.store import store

pytestmark = pytest.mark.django_db

LIST = "/api/v1/articles/"


@pytest.fixture
def sport(published):
    """A second live story, in another section, by another author, with another tag."""
    return ArticleFactory(
        published=True,
        section=SectionFactory(name="Sport", slug="sport"),
        authors=[AuthorFactory(name="Bo Chen", slug="bo-chen")],
        tags=["Football"],
        title="Cup final",
    )


@pytest.fixture
def run_commit_hooks(django_capture_on_commit_callbacks):
    """Run a change as a request would: its after-commit purge of the origin cache included."""

    def run(change, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return change(**kwargs)

    return run


def warm(api, urls) -> None:
    for url in urls:
        assert api.get(url)["X-Origin-Cache"] == "miss", url
        assert api.get(url)["X-Origin-Cache"] == "hit", url


def states(api, urls) -> dict[str, str]:
    return {url: api.get(url)["X-Origin-Cache"] for url in urls}


def rendered_again(urls, first: int) -> dict[str, str]:
    """The states expected when the first ``first`` URLs were purged and the others not."""
    return {url: "miss" if i < first else "hit" for i, url in enumerate(urls)}


def titles(response) -> list[str]:
    return [item["title"] for item in response.json()["results"]]


def test_an_edit_purges_the_article_and_the_lists_showing_it_and_nothing_else(
    api, editor, published, sport, run_commit_hooks, django_assert_num_queries
):
    urls = [
        f"{LIST}{published.pk}/",
        LIST,
        f"{LIST}?section=city",
        f"{LIST}?tag=harbour",
        f"{LIST}{sport.pk}/",
        f"{LIST}?section=sport",
        f"{LIST}?author=bo-chen",
        "/api/v1/sections/",
        "/api/v1/tags/",
        "/api/v1/authors/",
    ]
    warm(api, urls)
    run_commit_hooks(
        article_update,
        user=editor,
        article=published,
        data={"title": "Harbour plan approved"},
        expected_version=None,
    )
    assert states(api, urls) == rendered_again(urls, first=4)
    assert api.get(f"{LIST}{published.pk}/").json()["title"] == "Harbour plan approved"
    assert titles(api.get(LIST))[-1] == "Harbour plan approved"
    with django_assert_num_queries(0):
        assert api.get(f"{LIST}{sport.pk}/")["X-Origin-Cache"] == "hit"


def test_a_new_article_is_in_the_anonymous_lists_at_once(
    api, editor, published, sport, run_commit_hooks
):
    fresh = ArticleFactory(
        section=published.section,
        authors=[AuthorFactory(name="Di Evans", slug="di-evans", is_active=False)],
        tags=["Ferries"],
        title="Ferry timetable",
    )
    urls = [LIST, f"{LIST}?section=city", "/api/v1/tags/", "/api/v1/authors/"]
    warm(api, [*urls, f"{LIST}?section=sport", f"{LIST}{sport.pk}/"])
    draft = api.get(f"{LIST}{fresh.pk}/")
    assert draft.status_code == 404 and draft["Cache-Control"] == "private, no-store"

    run_commit_hooks(article_publish, user=editor, article=fresh)

    assert titles(api.get(LIST))[0] == "Ferry timetable"
    assert titles(api.get(f"{LIST}?section=city"))[0] == "Ferry timetable"
    assert "ferries" in [t["slug"] for t in api.get("/api/v1/tags/").json()["results"]]
    assert "Di Evans" in [a["name"] for a in api.get("/api/v1/authors/").json()["results"]]
    assert api.get(f"{LIST}{fresh.pk}/").status_code == 200
    # Another section's list and another article did not change.
    assert states(api, [f"{LIST}?section=sport", f"{LIST}{sport.pk}/"]) == {
        f"{LIST}?section=sport": "hit",
        f"{LIST}{sport.pk}/": "hit",
    }


def test_a_withdrawn_article_is_gone_at_once_and_never_served_stale(
    api, editor, published, sport, run_commit_hooks, settings
):
    detail = f"{LIST}{published.pk}/"
    urls = [detail, LIST, f"{LIST}?section=city", f"{LIST}{published.pk}/comments/"]
    warm(api, urls)
    # While another process renders it again, readers may get the old copy of an edited
    # article (stale-while-revalidate)...
    token = store.lock(f"http://testserver{detail}")
    settings.EDGECACHE_LOCK_SECONDS = 0.3  # how long a reader waits for that render
    run_commit_hooks(
        article_update, user=editor, article=published, data={"dek": "New"}, expected_version=None
    )
    stale = api.get(detail)
    assert (stale.status_code, stale["X-Origin-Cache"]) == (200, "stale")
    # ...never of a withdrawn one: the purge is hard.
    run_commit_hooks(article_unpublish, user=editor, article=published)
    gone = api.get(detail)
    assert gone.status_code == 404
    store.unlock(f"http://testserver{detail}", token)
    assert titles(api.get(LIST)) == ["Cup final"]
    assert api.get(f"{LIST}?section=city").json()["count"] == 0
    assert api.get(f"{LIST}{published.pk}/comments/").status_code == 404


def test_an_approved_comment_purges_its_thread_and_the_counts_showing_it(
    api, moderator, published, sport, run_commit_hooks
):
    from comments.services import comment_moderate

    comment = Comment.objects.create(
        article=published, author_name="Sam", author_email="sam@example.org", body="Good",
        status=Comment.Status.PENDING, content_hash="x",
    )  # fmt: skip
    thread = f"{LIST}{published.pk}/comments/"
    urls = [thread, f"{LIST}{published.pk}/", LIST, f"{LIST}{sport.pk}/", f"{LIST}?section=sport"]
    warm(api, urls)
    run_commit_hooks(comment_moderate, actor=moderator, comment=comment, action="approve")
    assert states(api, urls) == rendered_again(urls, first=3)
    assert api.get(thread).json()["count"] == 1
    assert api.get(LIST).json()["results"][1]["comment_count"] == 1


def test_an_author_change_purges_what_shows_the_author(
    api, editor, published, sport, run_commit_hooks
):
    author = published.bylines.get().author
    urls = [
        f"/api/v1/authors/{author.pk}/",
        f"{LIST}{published.pk}/",
        LIST,
        "/api/v1/authors/",
        f"{LIST}{sport.pk}/",
        f"{LIST}?section=sport",
    ]
    warm(api, urls)
    run_commit_hooks(author_update, user=editor, author=author, data={"bio": "Harbour reporter."})
    assert states(api, urls) == rendered_again(urls, first=4)
    assert api.get(f"{LIST}{published.pk}/").json()["authors"][0]["bio"] == "Harbour reporter."


def test_breaking_news_joins_the_breaking_list_at_once(
    api, editor, published, sport, run_commit_hooks
):
    urls = [f"{LIST}?is_breaking=true", f"{LIST}?is_breaking=false", f"{LIST}?section=city"]
    warm(api, urls)
    run_commit_hooks(
        article_update,
        user=editor,
        article=sport,
        data={"is_breaking": True},
        expected_version=None,
    )
    assert titles(api.get(f"{LIST}?is_breaking=true")) == ["Cup final"]
    assert titles(api.get(f"{LIST}?is_breaking=false")) == ["Harbour"]
    assert api.get(f"{LIST}?section=city")["X-Origin-Cache"] == "hit"


def test_tag_changes_reach_the_tag_list_and_the_lists_naming_tags(
    api, editor, published, sport, run_commit_hooks
):
    urls = ["/api/v1/tags/", LIST, f"{LIST}{published.pk}/", f"{LIST}{sport.pk}/"]
    warm(api, urls)
    run_commit_hooks(
        article_update,
        user=editor,
        article=sport,
        data={},
        tags=["Football", "Cup"],
        expected_version=None,
    )
    assert "cup" in [t["slug"] for t in api.get("/api/v1/tags/").json()["results"]]
    assert states(api, urls[2:]) == {urls[2]: "hit", urls[3]: "miss"}
    harbour = Tag.objects.get(slug="harbour")
    harbour.name = "Harbor"
    run_commit_hooks(harbour.save)
    assert [t["name"] for t in api.get(f"{LIST}{published.pk}/").json()["tags"]] == ["Harbor"]
    assert "Harbor" in [t["name"] for t in api.get(LIST).json()["results"][1]["tags"]]
    assert "Harbor" in [t["name"] for t in api.get("/api/v1/tags/").json()["results"]]
    assert api.get(f"{LIST}{sport.pk}/")["X-Origin-Cache"] == "hit"


def test_a_renamed_section_reaches_the_section_list_and_what_names_it(
    api, published, sport, run_commit_hooks
):
    urls = ["/api/v1/sections/", "/api/v1/sections/city/", f"{LIST}{published.pk}/"]
    warm(api, [*urls, "/api/v1/sections/sport/", f"{LIST}{sport.pk}/"])
    section = published.section
    section.name = "The City"
    run_commit_hooks(section.save)
    assert api.get("/api/v1/sections/city/").json()["name"] == "The City"
    assert api.get(f"{LIST}{published.pk}/").json()["section"]["name"] == "The City"
    assert "The City" in [s["name"] for s in api.get("/api/v1/sections/").json()["results"]]
    assert api.get(f"{LIST}{sport.pk}/")["X-Origin-Cache"] == "hit"
    assert api.get("/api/v1/sections/sport/")["X-Origin-Cache"] == "hit"


def test_an_article_follows_the_headlines_of_its_related_articles_not_their_text(
    api, editor, published, sport, run_commit_hooks
):
    from articles.tests.factories import RelatedLinkFactory

    RelatedLinkFactory(article=published, target=sport, position=0)
    detail = f"{LIST}{published.pk}/"
    warm(api, [detail])
    run_commit_hooks(
        article_update,
        user=editor,
        article=sport,
        data={"dek": "Extra time"},
        expected_version=None,
    )
    assert api.get(detail)["X-Origin-Cache"] == "hit"
    run_commit_hooks(
        article_update,
        user=editor,
        article=sport,
        data={"title": "Cup final"},
        expected_version=None,
    )
    assert api.get(detail)["X-Origin-Cache"] == "hit"  # the same headline
    run_commit_hooks(
        article_update,
        user=editor,
        article=sport,
        data={"title": "Cup final goes to penalties"},
        expected_version=None,
    )
    response = api.get(detail)
    assert response["X-Origin-Cache"] == "miss"
    assert response.json()["related"][0]["title"] == "Cup final goes to penalties"
