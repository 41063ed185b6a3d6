"""Reading the reader site's HTML in tests: a response's tree and XPath with class tests."""

import re

from lxml import html as lxml_html


def tree(response):
    return lxml_html.fromstring(response.content.decode())


def select(element, path: str) -> list:
    """XPath where ``[.name]`` tests for a class: ``select(page, "//*[.card--lead]//img")``."""
    path = re.sub(
        r"\[\.([\w-]+)\]", r"[contains(concat(' ', normalize-space(@class), ' '), ' \1 ')]", path
    )
    return element.xpath(path)
