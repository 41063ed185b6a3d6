"""The demo newsroom's people and sections, and its stories (demo_stories.py) as articles.

Places, people and events are fictional; every story is written out, so no two articles share
a sentence and every run produces the same newsroom.
"""

from dataclasses import dataclass, field

from django.utils.html import escape

from .demo_stories import STORIES

SECTIONS = [
    ("World", "world", "Reporting from our correspondents across the continent and beyond."),
    ("Politics", "politics", "Parliament, city hall and the campaigns in between."),
    ("Business", "business", "Companies, markets, work and money."),
    ("Technology", "technology", "How software, science and the internet change daily life."),
    ("Opinion", "opinion", "Columns and arguments from our writers and guests."),
]

AUTHORS = [
    {
        "slug": "amira-okafor",
        "name": "Amira Okafor",
        "job_title": "Senior foreign correspondent",
        "section": "world",
        "bio": "Amira Okafor has reported from four continents, most recently on the river "
        "border talks between Valdria and Costerra. Before joining the newsroom she spent six "
        "years at a regional radio station.\n\nShe speaks French, Portuguese and Yoruba.",
        "website_url": "https://example.org/amira-okafor",
        "mastodon_url": "https://mastodon.example/@amira",
    },
    {
        "slug": "tomas-lindqvist",
        "name": "Tomás Lindqvist",
        "job_title": "Political editor",
        "section": "politics",
        "bio": "Tomás Lindqvist has covered three general elections and more budget nights "
        "than he cares to count. He runs the politics desk and the weekly briefing on what "
        "parliament did and why it matters.",
        "twitter_url": "https://x.com/example_tomas",
        "mastodon_url": "https://mastodon.example/@tomas",
    },
    {
        "slug": "hannah-weiss",
        "name": "Hannah Weiss",
        "job_title": "Business reporter",
        "section": "business",
        "bio": "Hannah Weiss writes about small companies, the port economy and the price of "
        "everyday things. She trained as an accountant before switching to journalism, and "
        "still reads annual reports for fun.",
        "linkedin_url": "https://www.linkedin.com/in/example-hannah",
        "website_url": "https://example.org/hannah-weiss",
    },
    {
        "slug": "kenji-watanabe",
        "name": "Kenji Watanabe",
        "job_title": "Technology correspondent",
        "section": "technology",
        "bio": "Kenji Watanabe covers software, privacy and the companies building both. He "
        "was a developer for ten years and keeps a soldering iron on his desk.\n\nHe answers "
        "reader questions on encryption every other Friday.",
        "website_url": "https://example.org/kenji",
        "mastodon_url": "https://mastodon.example/@kenji",
    },
    {
        "slug": "lucia-ferrer",
        "name": "Lucía Ferrer",
        "job_title": "Columnist",
        "section": "opinion",
        "bio": "Lucía Ferrer writes a weekly column on cities, housing and the ordinary "
        "politics of getting by. She taught urban planning for a decade and still argues with "
        "her former students.",
        "mastodon_url": "https://mastodon.example/@lucia",
        "linkedin_url": "https://www.linkedin.com/in/example-lucia",
    },
    {
        "slug": "daniel-mercer",
        "name": "Daniel Mercer",
        "job_title": "Data and photo journalist",
        "section": "",
        "bio": "Daniel Mercer makes the charts, maps and photographs that go with our "
        "reporting. He believes every number deserves a source and every photo a caption.",
        "website_url": "https://example.org/daniel-mercer",
        "twitter_url": "https://x.com/example_daniel",
    },
]


@dataclass
class DemoArticle:
    section: str
    title: str
    dek: str
    body: str
    tags: list[str]
    author_slugs: list[str]
    roles: list[str] = field(default_factory=list)
    picture: str = ""


def _typeset(text: str) -> str:
    """Curly quotation marks and apostrophes, as a newsroom's style guide asks."""
    out, inside = [], False
    for char in text:
        if char == '"':
            out.append("\u201d" if inside else "\u201c")
            inside = not inside
        else:
            out.append("\u2019" if char == "'" else char)
    return "".join(out)


def _html(body: str) -> str:
    """Paragraphs, "## " subheadings and "> " quotations to the article's HTML."""
    blocks = []
    for block in body.split("\n\n"):
        text = _typeset(" ".join(block.split()))
        if text.startswith("## "):
            blocks.append(f"<h2>{escape(text[3:])}</h2>")
        elif text.startswith("> "):
            blocks.append(f"<blockquote><p>{escape(text[2:])}</p></blockquote>")
        else:
            blocks.append(f"<p>{escape(text)}</p>")
    return "".join(blocks)


def demo_article(section: str, index: int, author_slugs: list[str]) -> DemoArticle:
    """The section's story number ``index`` (published ones first, see demo_stories.py)."""
    story = STORIES[section][index]
    return DemoArticle(
        section=section,
        title=_typeset(story.title),
        dek=_typeset(story.dek),
        body=_html(story.body),
        tags=list(story.tags),
        author_slugs=list(author_slugs),
        picture=story.picture,
    )
