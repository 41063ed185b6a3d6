class MarkEveryResponse:
    """A middleware added after the origin cache was written: it must see cached hits too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response["X-Seen-By"] = "mark-every-response"
        return response
