"""Edge-side includes: blocks every page shows (latest articles, the top bar, ads) are fragments
with their own keys and lifetimes, so a change to one of them never makes every page stale.

A page includes a fragment with ``{% load edgecache %}{% esi "/path/" %}``, which writes
``<esi:include src="/path/"/>`` and records the path on the request. A surrogate that declares
ESI (``Surrogate-Capability: ...="ESI/1.0"``, as the repository's VCL sends) gets the page as it
is, with ``Surrogate-Control: content="ESI/1.0"``, and assembles it; anyone else gets it
assembled by the origin. Only the paths the tag recorded are replaced, and reader-written text
can never produce the tag (the template engine escapes ``<``; rich text is sanitised).
"""

import re

SURROGATE_CONTROL = 'content="ESI/1.0"'
MAX_DEPTH = 3
# No quotes, no "&" and no "<": the path stands in the tag exactly as written.
PATH_PATTERN = re.compile(r"/[A-Za-z0-9/_.:~%?=+-]*")


def surrogate_does_esi(request) -> bool:
    return "ESI/1.0" in request.META.get("HTTP_SURROGATE_CAPABILITY", "")


def include_tag(path: str) -> str:
    if not PATH_PATTERN.fullmatch(path) or path.startswith("//"):
        raise ValueError(f"an ESI include is a path on this site, not {path!r}")
    return f'<esi:include src="{path}"/>'


def record_include(request, path: str) -> None:
    includes = getattr(request, "edgecache_includes", None)
    if includes is None:
        includes = request.edgecache_includes = []
    if path not in includes:
        includes.append(path)


def splice(body: bytes, fragments: dict[str, bytes]) -> bytes:
    """``body`` with each recorded include replaced by its fragment's bytes."""
    for path, content in fragments.items():
        body = body.replace(include_tag(path).encode(), content)
    return body
