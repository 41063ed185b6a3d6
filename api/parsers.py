"""The API's JSON parser: a body nested too deeply is a 400 in the API's error shape, never a
500 (a body too large is a 413: api.exceptions)."""

from rest_framework import exceptions, parsers
from rest_framework.utils import json

# No request of this API nests deeper than a few levels; this leaves room and stops a body
# built to exhaust the parser or the validators that walk it.
MAX_DEPTH = 32


def _too_deep(value, limit: int) -> bool:
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


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
        if _too_deep(data, MAX_DEPTH):
            raise exceptions.ParseError(DEEP)
        return data


DEEP = f"The JSON body is nested too deeply: at most {MAX_DEPTH} levels."
