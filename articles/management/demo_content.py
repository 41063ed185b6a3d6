"""The demo newsroom's people, sections and made-up news, written for this project.

Places, people and events are fictional. Articles are put together from templates and word
banks with a seeded random generator, so every run produces the same newsroom.
"""

import random
from dataclasses import dataclass, field

from django.utils.html import escape

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

CITIES = ["Port Alder", "Kesterby", "Marlow Bay", "Eastfield", "Lindenau", "Oskarvik", "Solbrenn"]
COUNTRIES = ["Valdria", "Costerra", "Aurelia", "the Northern Federation", "Tessaly"]
OFFICIALS = [
    ("Irena Vos", "the foreign minister"),
    ("Paul Ekwueme", "the mayor"),
    ("Ruth Castell", "the opposition leader"),
    ("Jonas Hale", "the trade commissioner"),
    ("Mira Sandoval", "the finance minister"),
    ("Anton Brekke", "the transport secretary"),
]
EXPERTS = [
    ("Dr Leila Haddad", "an economist at Kesterby University"),
    ("Oren Falk", "who chairs the regional chamber of commerce"),
    ("Professor Ines Moreau", "a political scientist"),
    ("Sam Otieno", "a researcher at the Open Networks Institute"),
    ("Greta Lund", "of the Port Alder tenants' association"),
]
COMPANIES = [
    "Harbourline Logistics",
    "Northwind Energy",
    "Brightloom",
    "Kestrel Foods",
    "Alder Mutual",
    "Quillsoft",
    "Tidewater Rail",
]
PRODUCTS = [
    "a payments app",
    "a solar storage unit",
    "an open-source mapping tool",
    "a delivery robot",
    "a language model for local councils",
]
TOPICS = {
    "world": [
        "the river border",
        "grain exports",
        "the fishing agreement",
        "refugee housing",
        "the drought",
        "election observers",
    ],
    "politics": [
        "the housing bill",
        "the budget",
        "the transport levy",
        "school funding",
        "the voting age",
        "the coalition agreement",
    ],
    "business": [
        "the port expansion",
        "energy prices",
        "the four-day week",
        "retail rents",
        "the pension fund",
        "container traffic",
    ],
    "technology": [
        "data protection",
        "the city's open data portal",
        "online voting",
        "broadband in rural areas",
        "facial recognition",
        "app store rules",
    ],
    "opinion": [
        "cycle lanes",
        "the housing bill",
        "night trains",
        "public libraries",
        "the four-day week",
        "local newspapers",
    ],
}
TAGS = {
    "world": ["diplomacy", "climate", "migration", "trade"],
    "politics": ["parliament", "housing", "elections", "budget"],
    "business": ["energy", "jobs", "trade", "housing"],
    "technology": ["privacy", "ai", "internet", "startups"],
    "opinion": ["cities", "housing", "transport", "climate"],
}

HEADLINES = {
    "world": [
        "{country} and {country2} reach outline deal on {topic}",
        "Talks on {topic} stall as {country} delegation walks out",
        "{city} prepares for arrivals as {topic} talks resume",
        "Observers praise calm vote in {country} despite {topic} dispute",
        "What the new agreement on {topic} means for {city}",
    ],
    "politics": [
        "Parliament passes {topic} after all-night session",
        "{official_name} under pressure over {topic}",
        "Coalition partners split on {topic}",
        "{city} council delays vote on {topic}",
        "Five questions about {topic}, answered",
    ],
    "business": [
        "{company} to hire {n_jobs} in {city} as {topic} grows",
        "Small firms warn of strain from {topic}",
        "{company} profits rise {pct} per cent on {topic}",
        "Why {topic} is worrying {city}'s shopkeepers",
        "{company} and unions agree trial of {topic}",
    ],
    "technology": [
        "{company} unveils {product}, promising fewer trips to the office",
        "Regulator opens inquiry into {company} over {topic}",
        "{city} tests {product} on its streets",
        "Researchers find gaps in {topic} rules",
        "A plain guide to {topic}",
    ],
    "opinion": [
        "We are getting {topic} wrong, and it is fixable",
        "In defence of {topic}",
        "{city} deserves better than this plan for {topic}",
        "What my neighbours taught me about {topic}",
        "The quiet case for {topic}",
    ],
}

OPENINGS = [
    "{city} woke up on {day} to news that changes the debate over {topic}.",
    "For months, {topic} has been the question nobody in {city} could avoid.",
    "The announcement came shortly after {hour} on {day}, and it surprised almost everyone.",
    "It took {n_meetings} meetings, two missed deadlines and one very long night to get here.",
]
MIDDLES = [
    "{official_name}, {official_role}, said the decision would be reviewed within {review_months} "
    "months and promised to publish the figures behind it.",
    "According to documents seen by this newsroom, officials had considered {n_options} "
    "options before settling on the one announced this week.",
    "{expert_name}, {expert_role}, said the numbers were \u201cencouraging but fragile\u201d and "
    "warned against reading too much into a single quarter.",
    "Residents we spoke to were divided. Some welcomed the change; others said nobody had "
    "asked them first.",
    "The plan sets aside {money} million for the first phase, most of it for work in and "
    "around {city}.",
    "Critics point out that a similar plan in {country} was abandoned after "
    "{abandon_months} months when costs doubled.",
    "{company} said it had not been consulted, but that it would \u201clook closely\u201d at the "
    "details before commenting further.",
    "Turnout at the public hearing was the highest in a decade, with more than {n_people} "
    "people queueing outside the hall.",
    "Similar measures elsewhere took {months} months to show any effect, and some never did.",
    "Officials in {city} said they had learned from those mistakes, though they declined to "
    "say which ones.",
    "The figures published so far cover only the first {months} months, a period that "
    "included an unusually mild winter.",
    "Local businesses, which employ about {n_jobs} people in the area, asked for more time "
    "to prepare.",
    "A spokesperson for {company} said the company was \u201cstill studying the detail\u201d.",
    "Several people we met said they had first heard about the plan from their neighbours, "
    "not from the council.",
    "The timetable is tight: the first contracts are due to be signed by {day}.",
    "Opposition members have asked for an independent review before any money is spent.",
]
SUBHEADS = [
    "What happens next",
    "The numbers behind it",
    "Who is affected",
    "A long road",
    "What people are saying",
]
QUOTES = [
    "We are not asking for miracles. We are asking for a plan that adds up.",
    "Every delay has a cost, and it is rarely paid by the people who decide.",
    "This is a start. It is not the finish line.",
    "If it works here, other cities will copy it within a year.",
]
CLOSINGS = [
    "A final decision is expected before the end of the month. We will follow it closely.",
    "The next hearing is scheduled for {day}. Readers can send questions to our desk.",
    "Whatever the outcome, {topic} will not leave the agenda any time soon.",
    "{official_name} is due to answer questions in parliament next week.",
]
OPINION_MIDDLES = [
    "I have lived in {city} for {years} years, and I have heard every argument about {topic}.",
    "The objection is always the same: it costs too much. It rarely asks what doing nothing costs.",
    "Look at {country}, where a smaller version of this idea has quietly worked for a decade.",
    "None of this needs a grand strategy. It needs a budget line and someone willing to sign it.",
    "We should be honest about the trade-offs, and about who has carried them so far.",
]
# Standfirsts never start with the topic, so "grain exports" and "the budget" both read right.
DEKS = [
    "What {city} decides about {topic} this month will shape the next decade.",
    "Our reporters spent a week in {city} asking what {topic} changes for the people who live "
    "there.",
    "Why {topic} matters well beyond {city}, and who will pay for the choices made now.",
    "{expert_name} and others explain what the fight over {topic} is really about.",
    "After {n_meetings} meetings, {city} has a plan for {topic}. Not everyone is convinced.",
    "The figures behind {topic} tell a different story from the speeches.",
    "A close look at {topic}: who gains, who loses and what happens next in {city}.",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]


@dataclass
class DemoArticle:
    section: str
    title: str
    dek: str
    body: str
    tags: list[str]
    author_slugs: list[str]
    roles: list[str] = field(default_factory=list)


def _slots(rng: random.Random, section: str) -> dict:
    official_name, official_role = rng.choice(OFFICIALS)
    expert_name, expert_role = rng.choice(EXPERTS)
    countries = rng.sample(COUNTRIES, 2)
    return {
        "city": rng.choice(CITIES),
        "country": countries[0],
        "country2": countries[1],
        "official_name": official_name,
        "official_role": official_role,
        "expert_name": expert_name,
        "expert_role": expert_role,
        "company": rng.choice(COMPANIES),
        "product": rng.choice(PRODUCTS),
        "topic": rng.choice(TOPICS[section]),
        "day": rng.choice(DAYS),
        "hour": f"{rng.randint(7, 11)} am",
        "n_meetings": rng.randint(12, 40),
        "n_options": rng.randint(3, 9),
        "n_people": rng.randint(150, 900),
        "n_jobs": rng.randint(40, 2400),
        "pct": rng.randint(3, 28),
        "months": rng.randint(3, 18),
        "review_months": rng.randint(2, 6),
        "abandon_months": rng.randint(8, 30),
        "money": rng.randint(4, 90),
        "years": rng.randint(6, 30),
    }


def _paragraph(template: str, slots: dict) -> str:
    return f"<p>{escape(template.format(**slots))}</p>"


def _sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:]


def demo_article(
    section: str, index: int, author_slugs: list[str], variant: int = 0
) -> DemoArticle:
    """One article of a section; the same (section, index, variant) always gives the same
    article (another variant when a headline is already taken)."""
    seed = f"newsroom-demo:{section}:{index}" + (f":{variant}" if variant else "")
    rng = random.Random(seed)
    slots = _slots(rng, section)
    title = _sentence_case(rng.choice(HEADLINES[section]).format(**slots))
    middles = OPINION_MIDDLES + MIDDLES if section == "opinion" else MIDDLES
    picked = rng.sample(middles, 13)
    pairs = [f"{picked[i]} {picked[i + 1]}" for i in range(1, 12, 2)]
    body = [_paragraph(f"{rng.choice(OPENINGS)} {picked[0]}", slots)]
    body += [_paragraph(text, slots) for text in pairs[:3]]
    body.append(f"<h2>{escape(rng.choice(SUBHEADS))}</h2>")
    body += [_paragraph(text, slots) for text in pairs[3:5]]
    if rng.random() < 0.6:
        body.append(f"<blockquote><p>{escape(rng.choice(QUOTES))}</p></blockquote>")
    body.append(_paragraph(pairs[5], slots))
    body.append(_paragraph(rng.choice(CLOSINGS), slots))
    dek = _sentence_case(rng.choice(DEKS).format(**slots))
    tags = rng.sample(TAGS[section], 2)
    return DemoArticle(
        section=section,
        title=title,
        dek=dek,
        body="".join(body),
        tags=tags,
        author_slugs=author_slugs,
    )
