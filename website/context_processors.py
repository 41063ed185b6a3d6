from .chrome import lazy_chrome


def site_chrome(request) -> dict:
    """``site`` (the site settings) and ``nav_sections`` for templates extending base.html;
    read only when a template shows them."""
    return lazy_chrome(request)
