"""Text rules for reader comments: cleaning what is stored, normalizing what is matched, and
splitting plain text into the paragraphs and links a template renders.

Two forms of every text exist:
- the *stored* form keeps what the reader wrote, minus control characters and the Unicode
  direction overrides that can disguise text ("Trojan Source", CVE-2021-42574);
- the *match* form (NFKC, format characters removed, accents dropped, case folded, look-alike
  letters mapped to Latin with Unicode's confusables data) is what word lists, link counting and
  duplicate detection see, so "f\u200buck" or a Cyrillic "\u0430" does not slip past a rule;
  word lists also see words spelled out with separators ("v.i.a.g.r.a") joined.
"""

import functools
import hashlib
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import urlsplit

import disarm
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from core.text import clean_text

# Direction embeddings, overrides and isolates. Left-to-right and right-to-left *marks*
# (U+200E, U+200F, U+061C) stay: right-to-left writers use them legitimately.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
LINE_BREAKS = frozenset("\n\u2028\u2029\x85")
BODY_TEMPLATE = "comments/_body.html"


def has_control_characters(value: str) -> bool:
    """Any C0/C1 control (line breaks and tabs included) or direction override."""
    return any(unicodedata.category(ch) == "Cc" or ch in BIDI_CONTROLS for ch in value)


def clean_line(value: str) -> str:
    """A single-line field (name, URL) as stored: trimmed, NFC, nothing XML cannot carry.
    Controls are refused earlier."""
    return clean_text(unicodedata.normalize("NFC", value), multiline=False).strip()


def clean_body(value: str) -> str:
    """The stored comment: line breaks unified, control characters and overrides removed."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = "".join(
        "\n"
        if ch in LINE_BREAKS
        else ch
        if ch == "\t" or not (unicodedata.category(ch) == "Cc" or ch in BIDI_CONTROLS)
        else ""
        for ch in value
    )
    value = clean_text(unicodedata.normalize("NFC", value))
    # Trailing spaces on lines and runs of blank lines carry nothing.
    value = re.sub(r"[ \t]+\n", "\n", value)
    value = re.sub(r"\n{3,}", "\n\n", value)
    return value.strip()


def normalize_for_matching(value: str) -> str:
    """What rules see: NFKC, no format characters or accents, case folded, look-alikes folded.

    Look-alike letters from any script (Cyrillic "\u0433", Latin "\u0251 \u1d20 \u028b
    \u0269", mathematical and enclosed letters...) become the Latin letter Unicode's confusables
    table (UTS #39) gives as their prototype, so a word list cannot be dodged by swapping
    letters. Case is folded before the table is applied (its capital "I" is a look-alike of
    "l"), and again after.
    """
    value = unicodedata.normalize("NFKC", value)
    # Format characters (zero-width spaces and joiners, soft hyphens, direction marks) and
    # controls vanish, so they cannot split a word.
    value = "".join(
        ch for ch in value if unicodedata.category(ch) not in ("Cf", "Cc") or ch in "\n\t"
    )
    value = _strip_marks(value.casefold())
    value = _strip_marks(disarm.normalize_confusables(value).casefold())
    return re.sub(r"\s+", " ", value).strip()


def _strip_marks(value: str) -> str:
    value = unicodedata.normalize("NFKD", value)
    return "".join(ch for ch in value if not unicodedata.combining(ch))


# Single letters or digits strung together with separators: "v.i.a.g.r.a", "v i a g r a",
# "v-i-a-g-r-a", "v_i_a_g_r_a". At least three, each one to three separators apart.
SPACED_LETTERS_RE = re.compile(r"(?<![^\W_])[^\W_](?:[\W_]{1,3}[^\W_](?![^\W_])){2,}")
SEPARATORS_RE = re.compile(r"[\W_]+")


def fold_separators(text_match_form: str) -> str:
    """The match form with spaced-out words joined ("v.i.a.g.r.a" -> "viagra")."""
    return SPACED_LETTERS_RE.sub(lambda m: SEPARATORS_RE.sub("", m.group()), text_match_form)


def visible_length(value: str) -> int:
    """Length as the length rule counts it: NFKC, format characters dropped, trimmed."""
    value = unicodedata.normalize("NFKC", value)
    return len("".join(ch for ch in value if unicodedata.category(ch) != "Cf").strip())


def content_hash(body: str) -> str:
    """Equal for bodies that only differ by case, spacing, zero-width tricks or look-alikes."""
    return hashlib.sha256(normalize_for_matching(body).encode()).hexdigest()


# ---------------------------------------------------------------------------
# Word rules
# ---------------------------------------------------------------------------
@functools.lru_cache(maxsize=4096)
def phrase_pattern(phrase: str) -> re.Pattern | None:
    """A word-list entry as a regex over match-form text.

    Words match whole (so "ass" does not match "class"); a leading or trailing "*" lets the
    entry match inside words ("*viagra*" matches "buyviagranow").
    """
    normalized = normalize_for_matching(phrase)
    starts_open = normalized.startswith("*")
    ends_open = normalized.endswith("*")
    core = normalized.strip("*").strip()
    if not core:
        return None
    core_re = r"\s+".join(re.escape(part) for part in core.split())
    before = r"\w*" if starts_open else r"(?<!\w)"
    after = r"\w*" if ends_open else r"(?!\w)"
    return re.compile(before + core_re + after)


def find_phrases(text_match_form: str, phrases: list[str]) -> list[str]:
    """The entries of ``phrases`` found in the text (given in match form), also when it spells
    them out with separators ("v.i.a.g.r.a", "b u y  v i a g r a")."""
    folded = fold_separators(text_match_form)
    found = []
    for phrase in phrases:
        pattern = phrase_pattern(phrase)
        if pattern is None:
            continue
        if pattern.search(text_match_form) or (
            folded != text_match_form
            and (pattern.search(folded) or _joined_pattern(phrase).search(folded))
        ):
            found.append(phrase)
    return found


@functools.lru_cache(maxsize=4096)
def _joined_pattern(phrase: str) -> re.Pattern:
    """A several-word entry with its spaces removed, as a spelled-out run folds it."""
    return phrase_pattern(phrase.replace(" ", "")) or phrase_pattern(phrase)


# ---------------------------------------------------------------------------
# Links
# ---------------------------------------------------------------------------
# A URL ends at whitespace, angle brackets, quotes or backticks: a link can never swallow
# markup around it, so escaping each piece separately stays correct.
URL_RE = re.compile(r"(?i)\b(?:https?://|www\.)[^\s<>\"'`\x00-\x1f\x7f]{1,2000}")
BARE_DOMAIN_RE = re.compile(
    r"(?i)\b[a-z0-9][a-z0-9-]{0,62}(?:\.[a-z0-9-]{1,63})*\."
    r"(?:com|net|org|info|biz|ru|cn|su|xyz|top|io|co|me|ly|gl|link|click|shop|site|online|"
    r"club|live|store|icu|buzz|win|bid|loan|work|tk|ml|ga|cf|gq)(?=[/:?#\s]|$)"
)
TRAILING_PUNCTUATION = ".,:;!?'\"*_~"
CLOSERS = {")": "(", "]": "[", "}": "{"}


def _trim_url(url: str) -> str:
    """Drop sentence punctuation and unbalanced closing brackets from the end of a URL."""
    while url:
        last = url[-1]
        unbalanced = last in CLOSERS and url.count(last) > url.count(CLOSERS[last])
        if last not in TRAILING_PUNCTUATION and not unbalanced:
            break
        url = url[:-1]
    return url


def _href(url: str) -> str | None:
    href = url if url.lower().startswith(("http://", "https://")) else f"https://{url}"
    try:
        parts = urlsplit(href)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return href


def count_links(body: str) -> int:
    """Links a reader could follow or copy, counted on the match form (so full-width or
    zero-width-split URLs count too)."""
    text = normalize_for_matching(body)
    spans = [m.span() for m in URL_RE.finditer(text)]
    count = len(spans)
    for match in BARE_DOMAIN_RE.finditer(text):
        if not any(start <= match.start() < end for start, end in spans):
            count += 1
    return count


def remove_links(body: str) -> str:
    """The text for notification mails: links replaced, so a comment cannot carry a link into
    someone's mailbox."""
    text = URL_RE.sub("[link removed]", body)
    return BARE_DOMAIN_RE.sub("[link removed]", text)


@dataclass(frozen=True)
class Piece:
    """A run of a comment's text; a link when it has an ``href``."""

    text: str
    href: str | None = None


def _pieces(paragraph: str) -> list[Piece]:
    pieces = []
    position = 0
    for match in URL_RE.finditer(paragraph):
        url = _trim_url(match.group(0))
        href = _href(url) if url else None
        pieces.append(Piece(paragraph[position : match.start()]))
        pieces.append(Piece(paragraph[match.start() : match.start() + len(url)], href))
        position = match.start() + len(url)
    pieces.append(Piece(paragraph[position:]))
    return pieces


def body_paragraphs(body: str) -> list[list[list[Piece]]]:
    """Plain text as paragraphs (blank lines apart) of lines of pieces, bare http(s) links
    being pieces of their own, for templates/comments/_body.html to render."""
    paragraphs = []
    for paragraph in re.split(r"\n\s*\n", body):
        if not paragraph.strip():
            continue
        lines: list[list[Piece]] = [[]]
        for piece in _pieces(paragraph.strip("\n")):
            first, *others = piece.text.split("\n")  # a link never spans a line break
            lines[-1].append(Piece(first, piece.href))
            lines.extend([Piece(other)] for other in others)
        paragraphs.append([[piece for piece in line if piece.text] for line in lines])
    return paragraphs


def render_body(body: str) -> SafeString:
    """Plain text to markup: blank lines make paragraphs, line breaks stay, bare http(s) links
    become links marked as user-generated; the template engine escapes everything else."""
    return render_to_string(BODY_TEMPLATE, {"paragraphs": body_paragraphs(body)})


def looks_like_url(value: str) -> bool:
    return bool(URL_RE.fullmatch(value.strip()) or BARE_DOMAIN_RE.search(value))


def _host(value: str) -> str:
    href = _href(value.strip()) or ""
    try:
        return (urlsplit(href).hostname or "").lower().removeprefix("www.")
    except ValueError:
        return ""


def safe_author_link(name: str, url: str) -> str:
    """The author's website if it may be linked from their name, else "".

    A name that looks like a URL but points elsewhere ("paypal.com" linking to a phishing
    host) is shown as plain text.
    """
    if not url.lower().startswith(("http://", "https://")) or not _href(url):
        return ""
    if looks_like_url(name) and _host(name) != _host(url):
        return ""
    return url
