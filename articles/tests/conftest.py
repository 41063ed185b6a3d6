"""Fixtures for every test of the articles app."""

import pytest

from articles import pagecache


@pytest.fixture(autouse=True)
def _fresh_slug_map():
    """Each test starts with no slug -> article id known to this process (the shared copy
    lives in the cache, which is cleared around every test)."""
    pagecache.slug_ids.clear()
    yield
    pagecache.slug_ids.clear()
