from django.template import Context, Template

from core.links import absolute_url


def test_paths_are_made_absolute_on_site_url(settings):
    settings.SITE_URL = "https://news.example.org"
    assert absolute_url("/politics/") == "https://news.example.org/politics/"
    assert absolute_url("search/?q=x") == "https://news.example.org/search/?q=x"
    assert absolute_url("") == "https://news.example.org/"


def test_absolute_addresses_are_left_as_they_are(settings):
    settings.SITE_URL = "https://news.example.org"
    for url in ["https://cdn.example.net/a.jpg", "http://example.org/", "//cdn.example.net/a"]:
        assert absolute_url(url) == url


def test_templates_use_the_same_rule(settings):
    settings.SITE_URL = "https://news.example.org"
    template = Template(
        '{% load absolute_urls %}{{ "/"|absolute }} {{ img|absolute }} [{{ none|absolute }}]'
    )
    rendered = template.render(Context({"img": "https://cdn.example.net/a.jpg", "none": ""}))
    assert rendered == "https://news.example.org/ https://cdn.example.net/a.jpg []"
