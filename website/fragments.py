"""Blocks every page shows, as fragments of their own under /_fragments/, each with its own
keys and a short lifetime: pages include them with ``{% esi %}``, Varnish assembles them, and
the origin assembles them for anyone else (edgecache/esi.py). A publish changes "Latest
Articles" without making every article page stale; the top bar's date turns at local midnight
without re-rendering any page.

Fragments are the same for everyone, whoever asks (the origin fetches them anonymously).
"""

import time
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from articles.purges import LATEST_RANKS_KEY, headline_key
from articles.selectors import LATEST_LIMIT, article_list_latest
from edgecache import cache_public
from publication.models import AdSlot
from publication.selectors import ad_slot_list_live, weather_get_current

from .chrome import site_settings_for
from .keys import Keys
from .rendering import NO_TOKEN

# Purges keep every fragment right; the lifetime bounds what a cache that missed a purge shows.
FRAGMENT_MAX_AGE = 300


def _public(response, keys, *, lifetime: float = FRAGMENT_MAX_AGE):
    lifetime = max(1, int(lifetime))
    return cache_public(
        response,
        keys=list(keys),
        shared_max_age=lifetime,
        browser_max_age=min(settings.EDGECACHE_BROWSER_MAX_AGE, lifetime),
    )


def seconds_to_midnight(now=None) -> float:
    """Seconds until the newsroom's next local midnight."""
    now = timezone.localtime(now)
    midnight = (now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return (midnight - now).total_seconds()


@require_safe
def topbar(request):
    """Today's date and the temperature with the time it was measured. Lives until local
    midnight (the date turns) and no longer than the reading may be shown; a new reading
    purges it (key ``weather``), and so does a change of the newsroom's city (``site``). It
    never fetches a reading itself: the worker does (publication.tasks)."""
    site = site_settings_for(request)
    reading = weather_get_current(site)
    lifetime = seconds_to_midnight()
    if reading is not None:
        lifetime = min(lifetime, reading["fetched_at"] + settings.WEATHER_MAX_AGE - time.time())
    response = render(
        request,
        "website/fragments/topbar.html",
        {
            "today": timezone.localdate(),
            "city": site.weather_city,
            "temperature": None if reading is None else f"{reading['temperature'] + 0.0:.1f}",
            "unit": None if reading is None else reading.get("unit", "°C"),
            # Readers see how old the reading is (it may be hours, up to WEATHER_MAX_AGE).
            "measured_at": None
            if reading is None
            else datetime.fromtimestamp(reading["fetched_at"], tz=UTC),
        },
    )
    return _public(response, ["weather", "site"], lifetime=lifetime)


@require_safe
def latest(request):
    """ "Latest Articles", without the article the page shows (``?exclude=<id>``).

    Every article page asks for its own copy, but only the few articles that are among the
    newest get a list of their own (keyed ``latest``, so a publish re-renders a handful). Any
    other article's copy is just an include of the shared list: it stays cached through every
    publish, since a publish never brings an older article among the newest.
    """
    raw = request.GET.get("exclude", "")
    if raw and not (raw.isascii() and raw.isdigit() and len(raw) < 19):
        raise Http404("No such fragment")
    exclude_id = int(raw) if raw else None
    newest = article_list_latest(limit=LATEST_LIMIT + (exclude_id is not None))
    if exclude_id is not None:
        if all(article.pk != exclude_id for article in newest[:LATEST_LIMIT]):
            response = render(request, "website/fragments/latest_shared.html")
            return _public(response, [LATEST_RANKS_KEY, headline_key(exclude_id)])
        newest = [article for article in newest if article.pk != exclude_id]
    response = render(request, "website/fragments/latest.html", {"latest": newest})
    return _public(response, Keys("latest").headlines(newest))


@require_safe
def ads(request, placement: str):
    """The ads in force in one placement. Lives until the next ad starts or ends."""
    if placement not in AdSlot.Placement.values:
        raise Http404("No such placement")
    now = timezone.now()
    live = [ad for ad in ad_slot_list_live(now) if ad.placement == placement]
    showing = [ad for ad in live if ad.is_active(now)]
    changes = [t for ad in live for t in (ad.active_from, ad.active_to) if t and t > now]
    lifetime = FRAGMENT_MAX_AGE
    if changes:
        lifetime = min(lifetime, (min(changes) - now).total_seconds())
    # The home page's top ad is on the first screen, the largest image there on a wide screen.
    first_screen = placement == AdSlot.Placement.HOME_TOP
    response = render(
        request, "website/fragments/ads.html", {"ads": showing, "first_screen": first_screen}
    )
    return _public(response, ["ads"], lifetime=lifetime)


@require_safe
def newsletter(request):
    """The newsletter sign-up form of the "Stay Connected" box (nothing while no list is
    public). No CSRF token: the site's script adds the reader's own."""
    response = render(request, "website/fragments/newsletter.html", {"csrf_token": NO_TOKEN})
    return _public(response, ["newsletter-lists"])
