"""The demo newsroom's About, Contact and Privacy pages and its masthead details.

The privacy notice says what this software really stores, why, for how long and how a reader asks
for a copy or for erasure; the periods come from the settings in force when the demo is loaded.
"""

from django.conf import settings

TAGLINE = "Independent news from the harbour towns and beyond"
POSTAL_ADDRESS = "Newsroom Demo\n12 Quay Street\n10115 Port Alder"

ABOUT = """\
The Newsroom is an independent newsroom covering the harbour towns, their politics, their \
businesses and the wider world they trade with. Our reporters and editors are listed on their \
author pages, with what they cover and how to reach them.

We publish what we can check. Every article names who wrote it; corrections are added to the \
article itself, with the date, and never made silently. Opinion is marked as opinion.

We are funded by our readers' subscriptions and by advertising, which is always labelled as such \
and never decides what we report. This is a demonstration site: the places, people and events \
in its articles are invented."""

CONTACT = """\
News tips and documents: tips@example.org. Tell us what you know and how we can reach you; we \
protect our sources.

Corrections: corrections@example.org, with a link to the article and what is wrong. We answer \
every request and correct mistakes in the article itself.

Advertising: ads@example.org. Privacy questions, a copy of your data or its erasure: \
privacy@example.org.

By post: Newsroom Demo, 12 Quay Street, 10115 Port Alder."""


def privacy_text() -> str:
    days = settings.COMMENTS_RETENTION_DAYS
    confirm_days = settings.NEWSLETTER_CONFIRM_MAX_AGE_DAYS
    remember_days = settings.COMMENTS_REMEMBER_COOKIE_AGE // 86400
    pending_days = settings.COMMENTS_PENDING_COOKIE_MAX_AGE // 86400
    return f"""\
This notice says what this site stores about you, why, for how long, and how to get a copy or \
have it erased. Newsroom Demo, 12 Quay Street, 10115 Port Alder, runs the site and is responsible \
for what it stores. Reading the site needs no account and sets no cookie: we use no analytics, no \
advertising trackers and no third-party scripts, and our share buttons are plain links.

Newsletters. When you sign up we store your email address, the newsletters you chose, and when \
and from which IP address you signed up and confirmed: that record is how we prove you asked for \
them. We also log which editions were sent to you and whether delivery failed; the service that \
delivers our email receives your address for that alone. We keep this while \
you are subscribed. The confirmation link we send works for {confirm_days} days; a sign-up you \
never confirm gets no newsletter and is kept, unconfirmed, until you ask us to erase it. Every \
newsletter has a one-click unsubscribe link; after you unsubscribe we keep the address with its \
unsubscribed status, so that we never mail you again by mistake, until you ask us to erase it.

Comments. With a comment we store the name, email address and website you give (the email \
address is never shown), the text, your IP address and your browser's user agent. We use the IP \
address and user agent to fight spam and abuse and delete them after {days} days. We keep a \
keyed hash of the IP address with the comment, to enforce bans and spot repeated abuse; it \
cannot be turned back into your address without this site's secret key. If you report a \
comment, we store your IP address, deleted after {days} days, and the email address you may \
give, kept with the report. If you ask to be notified of replies, we store that choice and a log \
of the notifications we sent.

Cookies and sessions. Forms (comments, newsletter sign-up) set a security cookie that protects \
them against forgery; staff who sign in get a session cookie. If you ask us to remember you when \
you comment, your own browser keeps your name, email address and website in a cookie for \
{remember_days} days; after you post, another cookie lets your browser show you your comments \
still waiting for a moderator, for {pending_days} days. Only your browser sends them back. To \
limit abuse we count comments, reports and sign-ups per keyed hash of the IP address or email \
address, for an hour or at most a day. Our web server may record the address of each request in \
its logs, which are kept only as long as needed to run the site.

Your rights. Write to privacy@example.org from the address concerned. We can send you everything \
we store about that address, or erase it: your comments are then kept without your name and \
contact details, or removed if you prefer, and your newsletter records are deleted. We answer \
within one month."""
