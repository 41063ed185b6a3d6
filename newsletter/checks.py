"""Deployment checks (``manage.py check --deploy`` and every start): what mailbox providers and
the law require of a bulk sender."""

from django.conf import settings
from django.core.checks import Warning, register


@register("newsletter", deploy=True)
def check_sender_requirements(app_configs, **kwargs):
    problems = []
    if not settings.NEWSLETTER_POSTAL_ADDRESS:
        problems.append(
            Warning(
                "NEWSLETTER_POSTAL_ADDRESS is empty: newsletters go out without a postal address.",
                hint="Bulk mail must carry the sender's postal address (CAN-SPAM and others).",
                id="newsletter.W001",
            )
        )
    if not settings.SITE_URL.startswith("https://"):
        problems.append(
            Warning(
                "SITE_URL is not https: one-click unsubscribe links (RFC 8058) must be https.",
                id="newsletter.W002",
            )
        )
    if not settings.ANYMAIL.get("WEBHOOK_SECRET"):
        problems.append(
            Warning(
                "ANYMAIL_WEBHOOK_SECRET is not set: bounce and complaint webhooks are refused.",
                hint="Set it and give your provider the webhook URL with these credentials.",
                id="newsletter.W003",
            )
        )
    return problems
