"""Newsletter writes. Entry points (views, admin, API, tasks, commands, webhooks) call these.

signup:       sign-up with double opt-in, confirmation, confirmed additions.
preferences:  unsubscribe links and the preference page.
suppressions: the suppression list and the mail provider's feedback.
editions:     compose, start, prepare, pause, resume, cancel, test send.
automatic:    the daily digest, breaking-news alerts, the sweep.
fanout:       the crash-safe chunked sender; ledger: its claims and marks.
"""

from .automatic import (
    BREAKING_LIST_SLUG,
    DIGEST_LIST_SLUG,
    edition_compose_digest,
    edition_create_breaking,
    newsletter_sweep,
)
from .editions import (
    edition_cancel,
    edition_create,
    edition_finish_if_done,
    edition_pause,
    edition_prepare,
    edition_resume,
    edition_send_test,
    edition_start,
    edition_unschedule,
    edition_wake,
)
from .errors import InvalidChoice, InvalidEmail
from .fanout import SendReport, edition_send_batch
from .ledger import deliveries_reclaim_expired
from .preferences import (
    preferences_get,
    subscriber_preferences_update,
    subscription_unsubscribe,
    unsubscribe_by_mail,
    unsubscribe_check,
)
from .signup import (
    CONFIRMATION_TOPIC,
    confirmation_check,
    confirmation_send,
    subscriber_add_confirmed,
    subscriber_signup,
    subscription_confirm,
)
from .suppressions import delivery_feedback_record, suppression_add, suppression_remove

__all__ = [
    "BREAKING_LIST_SLUG",
    "CONFIRMATION_TOPIC",
    "DIGEST_LIST_SLUG",
    "InvalidChoice",
    "InvalidEmail",
    "SendReport",
    "confirmation_check",
    "confirmation_send",
    "deliveries_reclaim_expired",
    "delivery_feedback_record",
    "edition_cancel",
    "edition_compose_digest",
    "edition_create",
    "edition_create_breaking",
    "edition_finish_if_done",
    "edition_pause",
    "edition_prepare",
    "edition_resume",
    "edition_send_batch",
    "edition_send_test",
    "edition_start",
    "edition_unschedule",
    "edition_wake",
    "newsletter_sweep",
    "preferences_get",
    "subscriber_add_confirmed",
    "subscriber_preferences_update",
    "subscriber_signup",
    "subscription_confirm",
    "subscription_unsubscribe",
    "suppression_add",
    "suppression_remove",
    "unsubscribe_by_mail",
    "unsubscribe_check",
]
