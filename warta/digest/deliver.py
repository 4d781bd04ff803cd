"""Getting a digest to people: a file, e-mail over SMTP, a JSON webhook; with retries.

Each channel is one function that either returns or raises. :func:`attempt`
runs one with retries and exponential backoff and always returns a
:class:`Delivery` saying what happened: a failure is reported, never raised, so
one dead channel does not stop the others or the file. Failures that another try
cannot fix (a missing password, a refused login or recipient, an HTTP 4xx) are
not retried.
"""

from __future__ import annotations

import hashlib
import json
import os
import smtplib
import ssl
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from storage.database import utc_now
from warta import __version__
from warta.config import SmtpSettings, WebhookSettings

__all__ = ["Delivery", "PermanentError", "attempt", "compose_email", "post_webhook",
           "send_email", "write_file"]

_RETRYABLE_HTTP = frozenset((408, 425, 429))


class PermanentError(Exception):
    """A delivery failure that trying again will not fix."""


@dataclass(frozen=True)
class Delivery:
    channel: str  # "file", "smtp" or "webhook"
    target: str  # the path, the SMTP server and recipients, or the URL
    ok: bool
    attempts: int
    error: str | None
    at: str


def attempt(channel: str, target: str, action: Callable[[], None], *, retries: int,
            backoff: float, sleep: Callable[[float], None] = time.sleep) -> Delivery:
    """Run ``action`` up to ``1 + retries`` times, waiting ``backoff``, ``2*backoff``, ...
    between tries; stop early on a :class:`PermanentError`."""
    error = None
    tries = 0
    for tries in range(1, retries + 2):
        try:
            action()
            return Delivery(channel, target, True, tries, None, utc_now())
        except PermanentError as exc:
            error = str(exc)
            break
        except (OSError, smtplib.SMTPException) as exc:
            error = f"{type(exc).__name__}: {exc}"
            if tries <= retries:
                sleep(backoff * 2 ** (tries - 1))
    return Delivery(channel, target, False, tries, error, utc_now())


def write_file(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` (creating folders) through a temporary file of its own,
    so a reader never sees half a digest, nor two writers one another's."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}-{threading.get_ident()}.part")
    try:
        partial.write_text(text, encoding="utf-8")
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)


def compose_email(settings: SmtpSettings, subject: str, text: str, html: str | None = None,
                  attachment: tuple[str, str] | None = None) -> EmailMessage:
    """A message with a plain-text body, an HTML alternative and a text attachment if given
    (``attachment`` is ``(file name, JSON text)``)."""
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = settings.sender
    message["To"] = ", ".join(settings.recipients)
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=settings.sender.rpartition("@")[2] or None)
    message.set_content(text)
    if html is not None:
        message.add_alternative(html, subtype="html")
    if attachment is not None:
        name, content = attachment
        message.add_attachment(content.encode("utf-8"), maintype="application",
                               subtype="json", filename=name)
    return message


def send_email(settings: SmtpSettings, message: EmailMessage, *, timeout: float = 30.0) -> None:
    """Send ``message`` to the configured recipients over TLS from the first byte
    (``ssl``) or after STARTTLS, and with login, as configured.

    The password is read from the environment variable ``settings.password_env``.
    """
    if not settings.recipients:
        raise PermanentError("digest.smtp.recipients is empty: nobody to send to")
    password = None
    if settings.user:
        password = os.environ.get(settings.password_env)
        if password is None:
            raise PermanentError(f"environment variable {settings.password_env} is not set "
                                 f"(the password for SMTP user {settings.user})")
    try:
        context = ssl.create_default_context()
        if settings.ssl:
            client = smtplib.SMTP_SSL(settings.host, settings.port, timeout=timeout,
                                      context=context)
        else:
            client = smtplib.SMTP(settings.host, settings.port, timeout=timeout)
        with client as smtp:
            smtp.ehlo()
            if settings.starttls:
                smtp.starttls(context=context)
                smtp.ehlo()
            if settings.user:
                smtp.login(settings.user, password)
            refused = smtp.send_message(message, from_addr=settings.sender,
                                        to_addrs=settings.recipients)
    except (smtplib.SMTPAuthenticationError, smtplib.SMTPRecipientsRefused,
            smtplib.SMTPSenderRefused, smtplib.SMTPNotSupportedError) as exc:
        raise PermanentError(f"{type(exc).__name__}: {exc}") from exc
    if refused:
        raise PermanentError("recipients refused: " + ", ".join(sorted(refused)))


def post_webhook(settings: WebhookSettings, payload: dict) -> None:
    """POST ``payload`` as JSON to the webhook; any 2xx answer is success.

    The whole exchange must end within ``settings.timeout`` seconds (urllib's timeout
    bounds each read, so a server trickling its answer would hold the digest forever).
    A redirect is a permanent error: the POST would not reach where it points. The
    ``Idempotency-Key`` header is the same for every POST of the same payload, so a
    receiver that got a POST whose answer never came back can tell the retry apart."""
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(
        settings.url, method="POST", data=body,
        headers={"Content-Type": "application/json; charset=utf-8",
                 "Idempotency-Key": hashlib.sha256(body).hexdigest()[:32],
                 "User-Agent": f"warta/{__version__}"},
    )
    outcome: list[BaseException | None] = []
    deadline = time.monotonic() + settings.timeout
    late = f"no complete answer within {settings.timeout:g} s"  # whichever thread sees it first

    def exchange() -> None:
        try:
            with _NO_REDIRECTS.open(request, timeout=settings.timeout) as response:
                while response.read1(65536):  # the worker, too, gives up at the deadline
                    if time.monotonic() > deadline:
                        raise TimeoutError(late)
            outcome.append(None)
        except BaseException as exc:  # noqa: BLE001 - handed to the waiting thread
            outcome.append(exc)

    worker = threading.Thread(target=exchange, name="webhook", daemon=True)
    worker.start()
    worker.join(settings.timeout)
    if not outcome:
        raise TimeoutError(late)
    error = outcome[0]
    if error is None:
        return
    if isinstance(error, urllib.error.HTTPError):
        error.close()
        if 300 <= error.code < 400:
            raise PermanentError(f"HTTP {error.code} {error.reason}: redirects to "
                                 f"{error.headers.get('Location')}; configure that URL") from error
        if 400 <= error.code < 500 and error.code not in _RETRYABLE_HTTP:
            raise PermanentError(f"HTTP {error.code} {error.reason}") from error
        raise OSError(f"HTTP {error.code} {error.reason}") from error
    raise error


class _RefuseRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None  # urllib then raises the 3xx as an HTTPError


_NO_REDIRECTS = urllib.request.build_opener(_RefuseRedirects)
