"""Page-number pagination with strict parameters: a bad ``page`` or ``page_size`` is a 400,
never silently replaced by a default. The next and previous links are built on SITE_URL, never
on the Host header a request carried: a shared cache hands the same list to every client."""

from django.core.paginator import InvalidPage
from rest_framework import pagination
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.utils.urls import remove_query_param, replace_query_param

from core.links import absolute_url

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


def _positive_int(params, name: str, maximum: int | None = None) -> int | None:
    raw = params.get(name)
    if raw is None:
        return None
    try:
        value = int(raw)
    except (TypeError, ValueError):
        raise ValidationError({name: ["Enter a whole number."]}) from None
    if value < 1:
        raise ValidationError({name: ["Enter a number of at least 1."]})
    if maximum is not None and value > maximum:
        raise ValidationError({name: [f"Enter a number of at most {maximum}."]})
    return value


class PageNumberPagination(pagination.PageNumberPagination):
    page_size = DEFAULT_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def get_page_size(self, request) -> int:
        size = _positive_int(request.query_params, self.page_size_query_param, self.max_page_size)
        return size or self.page_size

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        page_size = self.get_page_size(request)
        page_number = _positive_int(request.query_params, self.page_query_param) or 1
        paginator = self.django_paginator_class(queryset, page_size)
        try:
            self.page = paginator.page(page_number)
        except InvalidPage:
            raise NotFound(
                f"Page {page_number} does not exist: there are {paginator.num_pages} pages."
            ) from None
        return list(self.page)

    def get_next_link(self):
        if not self.page.has_next():
            return None
        return self._link_to(self.page.next_page_number())

    def get_previous_link(self):
        if not self.page.has_previous():
            return None
        return self._link_to(self.page.previous_page_number())

    def _link_to(self, page_number: int) -> str:
        url = absolute_url(self.request.get_full_path())
        if page_number == 1:
            return remove_query_param(url, self.page_query_param)
        return replace_query_param(url, self.page_query_param, page_number)

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        response["required"] = ["count", "next", "previous", "results"]
        return response

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"] = {"type": "integer", "minimum": 1}
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["maximum"] = self.max_page_size
                parameter["description"] = (
                    f"Results per page, {DEFAULT_PAGE_SIZE} by default, at most {MAX_PAGE_SIZE}."
                )
        return parameters
