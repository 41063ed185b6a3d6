"""What every API view shares: strict query parameters, the caller's standing, the root and
the answer for every other address."""

from django.urls import NoReverseMatch, reverse
from rest_framework import exceptions, routers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from articles import policy
from core.links import absolute_url

from ..conditional import ConditionalGetMixin
from ..exceptions import empty_parameters, repeated_parameters, unknown_parameters
from ..permissions import is_staff


class StrictQueryParamsMixin:
    """Refuse query parameters the endpoint does not know, or gives more than once.

    A misspelt filter (``?secton=news``) silently returning everything is a bug the client never
    sees; a 400 naming the parameter is one they fix in a minute.
    """

    def allowed_query_params(self) -> set[str]:
        allowed: set[str] = set()
        filterset_class = getattr(self, "filterset_class", None)
        if filterset_class is not None and getattr(self, "action", None) == "list":
            allowed |= set(filterset_class.base_filters)
        if self._paginated():
            paginator = self.paginator
            allowed |= {paginator.page_query_param, paginator.page_size_query_param}
        return allowed

    def _paginated(self) -> bool:
        return getattr(self, "action", None) in getattr(self, "paginated_actions", ("list",))

    def initial(self, request, *args, **kwargs):
        # A method the endpoint does not have is a 405 whatever the query string (TRACE included).
        method = request.method.lower()
        if method not in self.http_method_names or not hasattr(self, method):
            raise exceptions.MethodNotAllowed(request.method)
        super().initial(request, *args, **kwargs)
        allowed = self.allowed_query_params()
        params = request.query_params
        unknown = sorted(name for name in params if name not in allowed)
        repeated = sorted(
            name for name in params if name in allowed and len(params.getlist(name)) > 1
        )
        if unknown:
            raise unknown_parameters(unknown, allowed)
        if repeated:
            raise repeated_parameters(repeated)
        # An empty value (?section=) is a mistake to report, not "no filter": it would also
        # travel on into every next and previous link.
        empty = sorted(name for name in params if name in allowed and not params[name].strip())
        if empty:
            raise empty_parameters(empty)


class CallerMixin:
    @property
    def staff(self) -> bool:
        return is_staff(self.request.user)

    @property
    def viewer(self) -> bool:
        """Newsroom staff: sees workflow fields (status, version) and, as articles.policy
        allows, unpublished articles."""
        return policy.is_newsroom_staff(self.request.user)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "staff": self.viewer}


def parse_id(value) -> int:
    """A URL id that fits the database's integers, or 404."""
    try:
        pk = int(value)
    except (TypeError, ValueError):
        raise exceptions.NotFound() from None
    if not 0 < pk < 2**63:
        raise exceptions.NotFound()
    return pk


class RootView(ConditionalGetMixin, routers.APIRootView):
    """GET /api/v1/: the address of each list, on SITE_URL (DRF's root builds them on the
    request's Host header). The same for everyone until the next release: no keys."""

    public_keys = ()

    def get(self, request, *args, **kwargs):
        namespace = request.resolver_match.namespace
        links = {}
        for key, url_name in self.api_root_dict.items():
            try:
                links[key] = absolute_url(reverse(f"{namespace}:{url_name}"))
            except NoReverseMatch:
                continue
        return Response(links)


class Router(routers.DefaultRouter):
    APIRootView = RootView


class NotFoundView(ConditionalGetMixin, APIView):
    """Every other address under /api/v1/: a JSON 404 in the API's error shape."""

    permission_classes = [AllowAny]
    schema = None

    def initial(self, request, *args, **kwargs):
        raise exceptions.NotFound(
            "No API endpoint at this address. Paths end with a slash, e.g. /api/v1/articles/; "
            "/api/v1/docs/ lists them all."
        )
