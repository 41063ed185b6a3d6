"""Submit admin forms the way a browser does: read the fields of the rendered form (inputs,
checked boxes, selected options, textareas), change some, post them back."""

from html.parser import HTMLParser


class _FormParser(HTMLParser):
    def __init__(self, form_id: str | None):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.depth = 0
        self.fields: list[tuple[str, str]] = []
        self._textarea: str | None = None
        self._text: list[str] = []
        self._select: str | None = None
        self._select_multiple = False
        self._options: list[tuple[str, bool]] = []
        self._option_value: str | None = None
        self._option_text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            if not self.inside and (self.form_id is None or attrs.get("id") == self.form_id):
                self.inside = True
            return
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = (attrs.get("type") or "text").lower()
            if kind in {"submit", "button", "image", "reset", "file"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in attrs:
                return
            self.fields.append((name, attrs.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []
        elif tag == "select" and name:
            self._select, self._options = name, []
            self._select_multiple = "multiple" in attrs
        elif tag == "option" and self._select is not None:
            self._option_value = attrs.get("value")
            self._option_text = []
            self._options.append((self._option_value, "selected" in attrs))

    def handle_data(self, data):
        if self._textarea is not None:
            self._text.append(data)
        if self._select is not None and self._option_value is None and self._options:
            self._option_text.append(data)

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "textarea" and self._textarea is not None:
            text = "".join(self._text)
            self.fields.append((self._textarea, text[1:] if text.startswith("\n") else text))
            self._textarea = None
        elif tag == "select" and self._select is not None:
            chosen = [value or "" for value, selected in self._options if selected]
            if not chosen and not self._select_multiple and self._options:
                chosen = [self._options[0][0] or ""]
            for value in chosen:
                self.fields.append((self._select, value))
            self._select = None


def form_fields(html: bytes | str, form_id: str | None = "article_form") -> dict:
    """{name: value or [values]} of the form, as a browser would submit it."""
    parser = _FormParser(form_id)
    parser.feed(html.decode() if isinstance(html, bytes) else html)
    data: dict = {}
    for name, value in parser.fields:
        if name in data:
            data[name] = data[name] if isinstance(data[name], list) else [data[name]]
            data[name].append(value)
        else:
            data[name] = value
    return data
