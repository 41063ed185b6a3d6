"""Domain errors with messages a reader or an editor can read; entry points turn them into a
form error, a 400/403/404/409/429 or a log line."""


class NewsletterError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class InvalidEmail(NewsletterError):
    pass


class InvalidChoice(NewsletterError):
    pass


class NotAllowed(NewsletterError):
    pass


class InvalidTransition(NewsletterError):
    pass


class RateLimited(NewsletterError):
    def __init__(self, message: str, *, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after
