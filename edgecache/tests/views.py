"""Views the origin cache tests drive: each counts its renders and shows what the test set."""

import threading
import time
from collections import Counter

from django.http import HttpResponse
from django.template import engines
from django.urls import path

from edgecache import cache_private, cache_public

renders: Counter = Counter()
state: dict = {}
_lock = threading.Lock()


def reset() -> None:
    renders.clear()
    state.clear()
    state.update(text="first", fail=False, delay=0.0, keys=None, shared=None, status=200)


reset()


def _count(name: str) -> None:
    with _lock:
        renders[name] += 1
    if state["delay"]:
        time.sleep(state["delay"])


def page(request, name):
    _count(name)
    if state["fail"]:
        raise RuntimeError("the database is down")
    response = HttpResponse(f"<p>{name}: {state['text']}</p>", status=state["status"])
    keys = state["keys"] or [f"page:{name}", "common"]
    return cache_public(response, keys=keys, shared_max_age=state["shared"])


def private(request):
    _count("private")
    return cache_private(HttpResponse("<p>yours</p>"))


def touches_session(request):
    """A public page that reads the session and asks for a CSRF token: neither may show."""
    from django.middleware.csrf import get_token

    _count("session")
    request.session.get("anything")
    get_token(request)
    response = HttpResponse("<p>same for everyone</p>")
    response.set_cookie("tracking", "1")
    return cache_public(response, keys=["session-page"])


_template = engines["django"].from_string(
    "{% load edgecache %}<main>{{ body }}</main>"
    "<aside>{% esi '/frag/latest/' %}</aside><footer>{% esi '/frag/date/' %}</footer>"
)


def with_fragments(request):
    _count("with_fragments")
    html = _template.render({"body": state.get("body", "story")}, request)
    return cache_public(HttpResponse(html), keys=["article:1"])


def fragment(request, name):
    _count(f"frag:{name}")
    text = state.get(f"frag:{name}", f"{name} v1")
    ttl = {"date": 30}.get(name)
    response = HttpResponse(f"<ul>{text}</ul>")
    if state.get(f"frag:{name}:private"):
        return cache_private(response)
    return cache_public(response, keys=[name], shared_max_age=ttl)


urlpatterns = [
    path("page/<str:name>/", page),
    path("private/", private),
    path("session/", touches_session),
    path("assembled/", with_fragments),
    path("frag/<str:name>/", fragment),
]


def counted(request):
    """Counts its renders in the cache, so that renders in other processes add up."""
    from django.core.cache import cache

    cache.add("edgecache-test-renders", 0, timeout=600)
    cache.incr("edgecache-test-renders")
    time.sleep(float(request.GET.get("sleep", "0.3")))
    version = cache.get("edgecache-test-text", "first")
    return cache_public(HttpResponse(f"<p>{version}</p>"), keys=["counted"])


urlpatterns.append(path("counted/", counted))


def shared(request, name):
    """A page whose text the test changes in the cache, read by every process."""
    from django.core.cache import cache

    text = cache.get(f"edgecache-test:{name}", "first")
    return cache_public(HttpResponse(f"<p>{name}: {text}</p>"), keys=[f"page:{name}"])


def robots(request):
    return HttpResponse("User-agent: *\n", content_type="text/plain")


urlpatterns += [path("shared/<str:name>/", shared), path("robots.txt", robots)]
