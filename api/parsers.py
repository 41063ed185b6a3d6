"""The API's JSON parser: a body nested too deeply, or holding text that is not Unicode (a lone
surrogate such as "\\ud800", which JSON can spell but nothing can store or send back), is a 400
in the API's error shape, never a 500 (a body too large is a 413: api.exceptions)."""

import re

from rest_framework import exceptions, parsers
from rest_framework.utils import json

# No request of this API nests deeper than a few levels; this leaves room and stops a body
# built to exhaust the parser or the validators that walk it.
MAX_DEPTH = 32
_SURROGATE = re.compile("[\ud800-\udfff]")


def _problem(value, limit: int) -> str | None:
    """DEEP or SURROGATE for a body that has that problem, else None."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            if _SURROGATE.search(item):
                return SURROGATE
            continue
        if isinstance(item, dict):
            children = [*item.keys(), *item.values()]
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return DEEP
        stack.extend((child, depth + 1) for child in children)
    return None


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        encoding = parsers.get_encoding(parser_context or {})
        constant = json.strict_constant if self.strict else None
        try:
            data = json.loads(stream.read().decode(encoding), parse_constant=constant)
        except RecursionError:
            raise exceptions.ParseError(DEEP) from None
        except (ValueError, UnicodeDecodeError) as error:
            raise exceptions.ParseError(f"JSON parse error - {error}") from None
        problem = _problem(data, MAX_DEPTH)
        if problem:
            raise exceptions.ParseError(problem)
        return data


DEEP = f"The JSON body is nested too deeply: at most {MAX_DEPTH} levels."
SURROGATE = "The JSON body is not valid Unicode text: it holds a lone surrogate (\\ud800-\\udfff)."
