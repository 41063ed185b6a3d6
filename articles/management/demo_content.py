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


# ---------------------------------------------------------------------------
# Live coverage: one blog still running, one that has ended
# ---------------------------------------------------------------------------
@dataclass
class DemoEntry:
    minutes: int  # after the coverage opened
    poster: str  # a demo account's username
    body: str
    title: str = ""
    is_key_event: bool = False
    is_pinned: bool = False


@dataclass
class DemoLiveBlog:
    slug: str
    section: str
    title: str
    dek: str
    body: str
    tags: list[str]
    author_slugs: list[str]
    opened_minutes_ago: int
    entries: list[DemoEntry]
    ended_after_minutes: int | None = None  # None: still running
    summary: str = ""
    picture: str = ""  # a scene of demo_scenes.py


def _p(*paragraphs: str) -> str:
    return "".join(f"<p>{escape(text)}</p>" for text in paragraphs)


LIVE_BLOGS = [
    DemoLiveBlog(
        slug="storm-hedda-reaches-the-coast-live",
        section="world",
        title="Storm Hedda reaches the coast: live updates",
        dek="Ferries cancelled, the coast road closed and thousands without power as the "
        "strongest storm in a decade comes ashore near Marlow Bay.",
        body=_p(
            "Storm Hedda is making landfall on the southern coast this afternoon, with gusts of "
            "up to 150 km/h forecast for Marlow Bay and Port Alder.",
            "Our reporters on the coast and in the newsroom follow it here as it happens.",
        ),
        tags=["Weather", "Port Alder"],
        author_slugs=["amira-okafor", "hannah-weiss"],
        opened_minutes_ago=190,
        picture="lighthouse",
        summary=_p(
            "The storm came ashore near Marlow Bay shortly after 2 pm. The coast road is closed, "
            "ferries will not run before tomorrow morning and about 12,000 homes are without "
            "power. Stay indoors if you can."
        ),
        entries=[
            DemoEntry(
                0,
                "reporter2",
                _p(
                    "Good afternoon. The weather service has raised its warning for the coast to "
                    "red: winds are expected to peak between 2 and 5 pm."
                ),
            ),
            DemoEntry(
                14,
                "reporter",
                _p(
                    "Harbourline Logistics has suspended every sailing from Port Alder for the "
                    "rest of the day. Passengers with tickets can change them free of charge."
                ),
                title="All ferries cancelled",
            ),
            DemoEntry(
                31,
                "editor",
                _p(
                    "Stay indoors, keep away from the seafront and do not drive unless you must. "
                    "The emergency number for fallen trees and flooding is 112."
                ),
                title="What to do if you live on the coast",
                is_pinned=True,
            ),
            DemoEntry(
                52,
                "reporter2",
                _p(
                    "On the pier at Marlow Bay the waves are already breaking over the railings. "
                    "The lifeboat crew has moved its boat to the inner harbour."
                ),
            ),
            DemoEntry(
                78,
                "reporter2",
                _p(
                    "The storm's centre crossed the coast just west of Marlow Bay at 2:10 pm, the "
                    "weather service says. The strongest gust so far: 148 km/h at the lighthouse."
                ),
                title="Landfall near Marlow Bay",
                is_key_event=True,
            ),
            DemoEntry(
                96,
                "reporter",
                _p(
                    "Northwind Energy says about 12,000 homes have lost power, most of them in "
                    "Eastfield and the villages along the coast road. Crews will go out once the "
                    "wind drops below 90 km/h."
                ),
            ),
            DemoEntry(
                121,
                "editor",
                _p(
                    "The police have closed the coast road between Marlow Bay and Eastfield after "
                    "several trees came down. Use the inland route through Kesterby."
                ),
                title="Coast road closed",
                is_key_event=True,
            ),
            DemoEntry(
                150,
                "reporter",
                _p(
                    "Schools in Port Alder and Marlow Bay will stay closed tomorrow, the council "
                    "has just announced."
                ),
            ),
            DemoEntry(
                176,
                "reporter2",
                _p(
                    "The rain is easing in Marlow Bay, but the wind has not dropped yet. We will "
                    "keep following it through the evening."
                ),
            ),
        ],
    ),
    DemoLiveBlog(
        slug="budget-night-in-parliament-as-it-happened",
        section="politics",
        title="Budget night in parliament: as it happened",
        dek="The finance minister's budget passed by four votes after a late concession on "
        "rail fares; the opposition promised to fight the housing cuts in committee.",
        body=_p(
            "Mira Sandoval presented her second budget to parliament tonight, with cuts to "
            "housing grants and a new fund for the port.",
            "We followed the debate and the vote as they happened.",
        ),
        tags=["Budget", "Parliament"],
        author_slugs=["tomas-lindqvist", "hannah-weiss"],
        opened_minutes_ago=6 * 24 * 60,
        picture="parliament",
        ended_after_minutes=245,
        summary=_p(
            "The budget passed by 84 votes to 80 just before 11 pm, after the finance minister "
            "agreed to freeze rail fares for a year. The housing grants cut stays; the "
            "opposition will try to reverse it in committee next month."
        ),
        entries=[
            DemoEntry(
                0,
                "editor",
                _p(
                    "Good evening from the press gallery. The finance minister is due to start "
                    "speaking at 7 pm; the vote is expected before midnight."
                ),
            ),
            DemoEntry(
                22,
                "reporter",
                _p(
                    "The headline numbers: spending up 3 percent, a new port fund of 40 million, "
                    "and housing grants cut by a fifth."
                ),
                title="The budget in three numbers",
                is_key_event=True,
            ),
            DemoEntry(
                58,
                "reporter2",
                _p(
                    "Ruth Castell, the opposition leader, called the housing cut a tax on young "
                    "families and said her party would vote against."
                ),
            ),
            DemoEntry(
                131,
                "reporter",
                _p(
                    "Economists are split. Dr Leila Haddad says the port fund could pay for itself "
                    "within a decade; the chamber of commerce wants it spent faster."
                ),
            ),
            DemoEntry(
                203,
                "editor",
                _p(
                    "A late concession: the finance minister promises to freeze rail fares for a "
                    "year. Two independents say that is enough for them to vote yes."
                ),
                title="Rail fares frozen for a year",
                is_key_event=True,
            ),
            DemoEntry(
                238,
                "reporter2",
                _p("The budget has passed by 84 votes to 80. Thank you for following along."),
                title="Budget passes by four votes",
                is_key_event=True,
                is_pinned=True,
            ),
        ],
    ),
]
