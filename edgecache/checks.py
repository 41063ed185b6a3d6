"""System checks: the two middleware in their places, and every configured purger complete."""

from django.conf import settings
from django.core import checks

from .purgers import BUILTIN, configured

PUBLIC = "edgecache.middleware.PublicResponseMiddleware"
ORIGIN = "edgecache.middleware.OriginCacheMiddleware"
# Middleware that may add a cookie or Vary: Cookie on the way out.
COOKIE_MIDDLEWARE = (
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
)


@checks.register(checks.Tags.caches)
def check_middleware(app_configs=None, **kwargs):
    stack = list(settings.MIDDLEWARE)
    errors = []
    if PUBLIC not in stack or ORIGIN not in stack:
        return [checks.Error(f"MIDDLEWARE needs {PUBLIC} and {ORIGIN}", id="edgecache.E001")]
    if stack[-1] != ORIGIN:
        errors.append(
            checks.Error(
                f"{ORIGIN} must be the last middleware, so that every other one handles the "
                "pages it serves",
                id="edgecache.E002",
            )
        )
    late = [
        name
        for name in COOKIE_MIDDLEWARE
        if name in stack and stack.index(name) < stack.index(PUBLIC)
    ]
    if late:
        errors.append(
            checks.Error(
                f"{PUBLIC} must come before {', '.join(late)}, so that nothing they add reaches "
                "a public page",
                id="edgecache.E003",
            )
        )
    return errors


@checks.register(checks.Tags.caches)
def check_purgers(app_configs=None, **kwargs):
    errors = []
    for name in settings.EDGECACHE_PURGERS:
        if name not in BUILTIN and "." not in name:
            errors.append(
                checks.Error(
                    f"Unknown purger {name!r} in EDGECACHE_PURGERS",
                    hint=f"Use {', '.join(BUILTIN)} or the dotted path of a Purger class.",
                    id="edgecache.E010",
                )
            )
    if errors:
        return errors
    try:
        purgers = configured()
    except ImportError as exc:
        return [checks.Error(f"A purger cannot be loaded: {exc}", id="edgecache.E011")]
    for purger in purgers:
        for problem in purger.problems():
            errors.append(checks.Error(f"{purger.name}: {problem}", id="edgecache.E012"))
    return errors
