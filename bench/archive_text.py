"""Text for the generated archive: a vocabulary of real English function and news words followed
by tens of thousands of made-up pronounceable words, drawn with a Zipf-like frequency skew, so
that a word's share of the archive falls with its rank as in real copy (a few words match half
the archive, most match a handful of articles). Everything is derived from fixed seeds: the same
vocabulary, and the same text for the same article number, on every machine and every run.

The benchmark's search queries name words by their place in this list (see QUERIES below).
"""

import itertools
import random
import re


def _words(text: str) -> list[str]:
    return text.split()


# The most frequent English words, most frequent first (full-text search drops most as stop
# words, as it does in real copy, but they make up a realistic share of every text).
FUNCTION_WORDS = _words("""
the of and to a in that is was he for it with as his on be at by i had not are but from or
have an they which one you were her all she there would their we him been has when who will
more no if out so said what up its about into than them can only other new some could time
these two may then do first any my now such like our over man me even most made after also
did many before must through back years where much your way well down should because each
just those people how too little state good very make world still own see men work long get
here between both life being under never day same another know while last might us great old
year off come since against go came right used take three
""")

# Words of news copy, roughly from more to less frequent. "government" lands at a rank where a
# word appears in about half of all articles; the two-word entries give real phrases that recur.
NEWS_WORDS = _words("""
government city week told council public police minister report plan country according
percent million local group house court national support part members officials health
market company president school money business water family children service include
security police_chief election party vote community include early decision program
economy price energy board several include spokesman deal workers investigation month
region program local hospital authority agreement interest rates city_council
prime_minister climate change budget crisis tax housing rent transport bridge harbour
ferry port river coast island road traffic station train airport flight border trade
export import factory union strike wage inflation bank loan startup software data privacy
storm flood drought wildfire summer winter spring autumn festival museum library theatre
football league coach season record study survey fire prison judge trial jury lawyer
sentence charge arrest suspect victim witness evidence appeal ruling law bill parliament
senate congress mayor governor candidate campaign poll result turnout coalition
opposition leader cabinet reform policy debate protest march rally petition summit
treaty sanctions war peace army troops ceasefire refugees aid embassy diplomat talks
nuclear missile weather temperature emissions pollution recycling waste forest farm
harvest fishing boats quay beach tourism hotel restaurant chef food drink wine beer
coffee shop retail sales consumer demand supply shortage price_rise fuel petrol oil gas
electricity grid wind solar battery vehicle car bus cycle lane pedestrian parking
construction development planning permission property landlord tenant mortgage
university student teacher exam degree research scientist discovery vaccine virus
doctor nurse patient clinic surgery treatment drug cancer heart mental pension
retirement benefit welfare poverty charity volunteer donation church mosque temple
concert album singer band film director actor award prize exhibition painting artist
novel author book poet stage dance opera match goal striker keeper referee tournament
final cup champion medal race runner marathon cyclist tennis golf cricket rugby
swimming olympic stadium fans ticket injury transfer contract manager owner investor
shares profit loss revenue earnings quarter forecast growth recession jobs unemployment
employer staff salary bonus executive chairman director board_member shareholder merger
takeover bankruptcy regulator watchdog fine penalty audit fraud scandal resignation
inquiry hearing committee testimony report_card internet phone app platform network
cyber attack hacker breach password cloud robot artificial intelligence chip
semiconductor satellite rocket launch space mission telescope planet ocean species
wildlife conservation park garden tree river_bank canal lake mountain valley village
town district suburb neighbourhood street square avenue harbour_master ferry_service
""")

ONSETS = _words(
    "b bl br c ch cl cr d dr f fl fr g gl gr h j k l m n p pl pr r s sh sk sl sp st t th tr"
)
ONSETS += ["v", "w", "z"]
VOWELS = _words("a e i o u ai ea ee oa oo ou ie")
CODAS = ["", "", "n", "r", "l", "s", "t", "m", "nd", "rt", "ck", "st", "ng", "x", "ll", "rn"]
ENDINGS = ["", "", "", "er", "on", "ia", "ett", "ham", "ley", "ton", "ick", "ane", "ora", "ine"]

VOCABULARY_SIZE = 45_000  # at least 20,000 distinct words (the benchmark's requirement)
ZIPF_EXPONENT = 1.0

# The benchmark's search queries, by kind: the same words at every archive size.
QUERIES = {
    "common": "government",
    "phrase": '"city council"',
    "misspelling": "goverment",
}
RARE_RANK = 40_000  # the rare query is the made-up word at this rank


def _made_up_words(count: int, taken: set[str]) -> list[str]:
    rng = random.Random(20_000)
    words: list[str] = []
    seen = set(taken)
    while len(words) < count:
        syllables = rng.choice((1, 2, 2, 2, 3, 3, 4))
        word = "".join(
            rng.choice(ONSETS) + rng.choice(VOWELS) + rng.choice(CODAS) for _ in range(syllables)
        )
        word += rng.choice(ENDINGS)
        if 4 <= len(word) <= 16 and word not in seen:
            seen.add(word)
            words.append(word)
    return words


def vocabulary() -> list[str]:
    """Every word of the archive, most frequent first (two-word entries have a space)."""
    real = list(dict.fromkeys(FUNCTION_WORDS + [w.replace("_", " ") for w in NEWS_WORDS]))
    words = real + _made_up_words(VOCABULARY_SIZE - len(real), set(real))
    assert len(words) >= 20_000
    return words


def rare_word() -> str:
    return vocabulary()[RARE_RANK]


def search_queries() -> dict[str, str]:
    return {**QUERIES, "rare": rare_word()}


def _cumulative(count: int, exponent: float) -> list[float]:
    return list(itertools.accumulate(1.0 / (rank + 1) ** exponent for rank in range(count)))


class TextMaker:
    """Titles, standfirsts, bodies, comments and names from the vocabulary, drawn with ``rng``."""

    def __init__(self):
        self.words = vocabulary()
        self.cumulative = _cumulative(len(self.words), ZIPF_EXPONENT)
        # Headlines lean on content words: no function words at all.
        start = len(dict.fromkeys(FUNCTION_WORDS))
        self.content = self.words[start:]
        self.content_cumulative = _cumulative(len(self.content), ZIPF_EXPONENT)

    def _draw(self, rng: random.Random, count: int) -> list[str]:
        return rng.choices(self.words, cum_weights=self.cumulative, k=count)

    def _draw_content(self, rng: random.Random, count: int) -> list[str]:
        return rng.choices(self.content, cum_weights=self.content_cumulative, k=count)

    def sentence(self, rng: random.Random, low: int = 8, high: int = 28) -> str:
        words = self._draw(rng, rng.randint(low, high))
        if len(words) > 10 and rng.random() < 0.4:
            words[rng.randint(3, len(words) - 4)] += ","
        text = " ".join(words)
        return text[0].upper() + text[1:] + "."

    def paragraph(self, rng: random.Random) -> str:
        return " ".join(self.sentence(rng) for _ in range(rng.randint(1, 5)))

    def title(self, rng: random.Random) -> str:
        words = self._draw_content(rng, rng.randint(4, 9))
        # A function word or two between content words, as headlines have.
        for _ in range(rng.randint(0, 2)):
            words.insert(rng.randint(1, len(words) - 1), rng.choice(FUNCTION_WORDS[:40]))
        text = " ".join(words)
        return text[0].upper() + text[1:]

    def dek(self, rng: random.Random) -> str:
        return " ".join(self.sentence(rng, 12, 30) for _ in range(rng.randint(1, 2)))

    def body(self, rng: random.Random) -> str:
        """About 600 words on average, long-tailed: briefs of a paragraph or two, long reads of
        several thousand words."""
        count = 2 + int(rng.random() ** 2.2 * 30) + (rng.random() < 0.02) * rng.randint(20, 60)
        parts = []
        for number in range(count):
            if number and number % 6 == 0 and rng.random() < 0.5:
                parts.append(f"<h2>{self.title(rng)}</h2>")
            parts.append(f"<p>{self.paragraph(rng)}</p>")
        return "".join(parts)

    def comment(self, rng: random.Random) -> str:
        return "\n\n".join(
            " ".join(self.sentence(rng, 5, 20) for _ in range(rng.randint(1, 3)))
            for _ in range(rng.choice((1, 1, 1, 2, 3)))
        )

    def name(self, rng: random.Random) -> str:
        first = self._made_up_name(rng, 1, 2)
        last = self._made_up_name(rng, 2, 3)
        return f"{first} {last}"

    def _made_up_name(self, rng: random.Random, low: int, high: int) -> str:
        syllables = rng.randint(low, high)
        text = "".join(
            rng.choice(ONSETS) + rng.choice(VOWELS) + rng.choice(CODAS) for _ in range(syllables)
        )
        return (text + rng.choice(ENDINGS)).capitalize()

    def tag_names(self, count: int) -> list[str]:
        """``count`` distinct tag names: news words and made-up names, some of two words."""
        rng = random.Random(5_000)
        names: list[str] = []
        seen: set[str] = set()
        pool = iter(self.content)
        while len(names) < count:
            name = next(pool)
            if rng.random() < 0.25:
                name = f"{name} {rng.choice(self.content[:2000])}"
            name = name.title()
            if slug(name) not in seen:
                seen.add(slug(name))
                names.append(name)
        return names


_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slug(text: str) -> str:
    return _NOT_SLUG.sub("-", text.lower()).strip("-")
