"""Delivering the digest: a real SMTP server and a real HTTP server on loopback, failures,
retries, the record in the database, and the ``warta digest`` command."""

from __future__ import annotations

import email
import ipaddress
import json
import socket
import ssl
import threading
import time
from datetime import UTC, date, datetime, timedelta
from email import policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from click.testing import CliRunner
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from digest_data import DAY, digest_database

from storage.database import open_database
from warta.cli import main
from warta.config import Config, DigestSettings, SmtpSettings, WebhookSettings
from warta.digest.daily import build_and_deliver

PASSWORD_ENV = "WARTA_TEST_SMTP_PASSWORD"


def free_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Inbox:
    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


def check_login(server, session, envelope, mechanism, auth_data):
    ok = (isinstance(auth_data, LoginPassword) and auth_data.login == b"monitor"
          and auth_data.password == b"s3cret")
    return AuthResult(success=ok, handled=False)  # the server answers 535 itself


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port(),
                            authenticator=check_login, auth_require_tls=False)
    controller.start()
    yield controller, inbox
    controller.stop()


def self_signed(directory) -> tuple[str, str]:
    """A certificate for 127.0.0.1 and its key, as PEM files in ``directory``."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.now(UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(minutes=5)).not_valid_after(now + timedelta(hours=1))
            .add_extension(x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_file, key_file = directory / "cert.pem", directory / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return str(cert_file), str(key_file)


@pytest.fixture
def starttls_server(tmp_path, monkeypatch):
    """An SMTP server that requires STARTTLS before login, with a certificate the client
    trusts through SSL_CERT_FILE."""
    cert, key = self_signed(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    monkeypatch.setenv("SSL_CERT_FILE", cert)
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port(), tls_context=context,
                            require_starttls=True, authenticator=check_login)
    controller.start()
    yield controller, inbox
    controller.stop()


@pytest.fixture
def webhook_server():
    """An HTTP server answering POSTs with the statuses in ``server.statuses`` (then 200)."""
    received: list[dict] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append({"headers": dict(self.headers), "body": body})
            status = server.statuses.pop(0) if server.statuses else 200
            if status == "trickle":  # an answer one byte at a time, never quite finished
                self.send_response(200)
                self.send_header("Content-Length", "100")
                self.end_headers()
                try:
                    for _ in range(100):
                        self.wfile.write(b".")
                        self.wfile.flush()
                        time.sleep(0.2)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up, as it should
                return
            self.send_response(status)
            if 300 <= status < 400:
                self.send_header("Location", "/landing")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def do_GET(self):
            received.append({"headers": dict(self.headers), "body": b"", "method": "GET"})
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.statuses, server.received = [], received
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def database(tmp_path):
    db, _ = digest_database(tmp_path / "warta.db")
    db.close()
    return tmp_path / "warta.db"


def config_for(database, tmp_path, **digest) -> Config:
    return Config(database=str(database),
                  digest=DigestSettings(out_dir=str(tmp_path / "digests"), **digest))


def recorded(database):

    db = open_database(database)
    try:
        digests = list(db.query("SELECT * FROM digests"))
        errors = list(db.query("SELECT * FROM errors WHERE stage = 'digest'"))
    finally:
        db.close()
    return digests, errors


def test_email_over_smtp_carries_text_and_html(smtp_server, database, tmp_path):
    controller, inbox = smtp_server
    smtp = SmtpSettings(host="127.0.0.1", port=controller.port, starttls=False,
                        sender="warta@example.org", recipients=["desk@example.org", "b@example.org"])
    result = build_and_deliver(config_for(database, tmp_path, smtp=smtp),
                               date.fromisoformat(DAY), "html", None, send=True)
    assert result.ok, result.deliveries
    (envelope,) = inbox.envelopes
    assert envelope.mail_from == "warta@example.org"
    assert envelope.rcpt_tos == ["desk@example.org", "b@example.org"]
    message = email.message_from_bytes(envelope.content, policy=policy.default)
    assert message["Subject"] == "Kemenham coverage, Thu 20 Nov 2025: 5 stories"
    plain = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "KEMENHAM COVERAGE, THU 20 NOV 2025" in plain
    assert "&lt;script&gt;" in html and "<script>" not in html
    written = tmp_path / "digests" / f"digest-{DAY}.html"
    assert written.read_text(encoding="utf-8") == result.text
    (row,), errors = recorded(database)
    assert (row["day"], row["format"], row["path"]) == (DAY, "html", str(written))
    assert [(d["channel"], d["ok"]) for d in json.loads(row["delivered"])] == [
        ("file", True), ("smtp", True)]
    assert errors == []


def test_smtp_login_takes_the_password_from_the_environment(smtp_server, database, tmp_path,
                                                            monkeypatch):
    controller, inbox = smtp_server
    smtp = SmtpSettings(host="127.0.0.1", port=controller.port, starttls=False, user="monitor",
                        password_env=PASSWORD_ENV, recipients=["desk@example.org"])
    config = config_for(database, tmp_path, smtp=smtp, retries=3)
    day = date.fromisoformat(DAY)

    monkeypatch.delenv(PASSWORD_ENV, raising=False)
    missing = build_and_deliver(config, day, "txt", None, send=True, backoff=0.01)
    assert PASSWORD_ENV in missing.deliveries[-1].error
    assert missing.deliveries[-1].attempts == 1  # another try cannot fix it

    monkeypatch.setenv(PASSWORD_ENV, "wrong")
    refused = build_and_deliver(config, day, "txt", None, send=True, backoff=0.01)
    assert "SMTPAuthenticationError" in refused.deliveries[-1].error
    assert refused.deliveries[-1].attempts == 1
    assert inbox.envelopes == []

    monkeypatch.setenv(PASSWORD_ENV, "s3cret")
    sent = build_and_deliver(config, day, "txt", None, send=True, backoff=0.01)
    assert sent.ok and len(inbox.envelopes) == 1
    body = email.message_from_bytes(inbox.envelopes[0].content, policy=policy.default)
    assert body.get_body(("plain",)).get_content().replace("\r\n", "\n") == sent.text


def test_smtp_starttls_then_login(starttls_server, database, tmp_path, monkeypatch):
    controller, inbox = starttls_server
    monkeypatch.setenv(PASSWORD_ENV, "s3cret")
    smtp = SmtpSettings(host="127.0.0.1", port=controller.port, starttls=True, user="monitor",
                        password_env=PASSWORD_ENV, recipients=["desk@example.org"])
    result = build_and_deliver(config_for(database, tmp_path, smtp=smtp),
                               date.fromisoformat(DAY), "md", None, send=True)
    assert result.ok, result.deliveries
    assert len(inbox.envelopes) == 1

    plain = SmtpSettings(host="127.0.0.1", port=controller.port, starttls=False,
                         recipients=["desk@example.org"])
    refused = build_and_deliver(config_for(database, tmp_path, smtp=plain, retries=2),
                                date.fromisoformat(DAY), "md", None, send=True, resend=True,
                                backoff=0.01)
    assert not refused.ok and len(inbox.envelopes) == 1
    assert "Must issue a STARTTLS command first" in refused.deliveries[-1].error
    assert refused.deliveries[-1].attempts == 1  # refused, not a network failure: no retry


def mail_and_dead_hook(smtp_server, database, tmp_path):
    """A config whose e-mail goes through and whose webhook is dead; and the inbox."""
    controller, inbox = smtp_server
    smtp = SmtpSettings(host="127.0.0.1", port=controller.port, starttls=False,
                        recipients=["desk@example.org"])
    dead = WebhookSettings(url=f"http://127.0.0.1:{free_port()}/hook", timeout=2.0)
    return config_for(database, tmp_path, smtp=smtp, webhook=dead, retries=0), inbox


def test_sending_again_retries_what_failed_and_sends_nothing_twice(smtp_server, database,
                                                                   tmp_path):
    config, inbox = mail_and_dead_hook(smtp_server, database, tmp_path)
    first = build_and_deliver(config, date.fromisoformat(DAY), "md", None, send=True)
    assert [(d.channel, d.ok) for d in first.deliveries] == [
        ("file", True), ("smtp", True), ("webhook", False)]
    again = build_and_deliver(config, date.fromisoformat(DAY), "md", None, send=True)
    smtp_again, hook_again = again.deliveries[1:]
    assert len(inbox.envelopes) == 1  # the e-mail is not sent twice
    assert smtp_again.ok and smtp_again.attempts == 0 and smtp_again.at == first.deliveries[1].at
    assert not hook_again.ok and hook_again.attempts == 1  # the failed channel is tried again
    (row,), _ = recorded(database)
    assert [(d["channel"], d["ok"]) for d in json.loads(row["delivered"])] == [
        ("file", True), ("smtp", True), ("webhook", False)]
    build_and_deliver(config, date.fromisoformat(DAY), "md", None, send=True, resend=True)
    assert len(inbox.envelopes) == 2


def test_a_digest_written_for_a_look_keeps_the_record_of_its_deliveries(smtp_server, database,
                                                                         tmp_path):
    config, inbox = mail_and_dead_hook(smtp_server, database, tmp_path)
    day = date.fromisoformat(DAY)
    build_and_deliver(config, day, "md", None, send=True)
    build_and_deliver(config, day, "md", tmp_path / "preview.md")
    (row,), _ = recorded(database)
    assert row["path"] == str(tmp_path / "preview.md")
    assert sorted((d["channel"], d["ok"]) for d in json.loads(row["delivered"])) == [
        ("file", True), ("file", True), ("smtp", True), ("webhook", False)]
    build_and_deliver(config, day, "md", None, send=True)
    assert len(inbox.envelopes) == 1  # the preview did not make the e-mail go out again


def test_webhook_receives_the_json_digest_and_markdown_text(webhook_server, database, tmp_path):
    hook = WebhookSettings(url=f"http://127.0.0.1:{webhook_server.server_port}/hook")
    result = build_and_deliver(config_for(database, tmp_path, webhook=hook),
                               date.fromisoformat(DAY), "json", tmp_path / "d.json", send=True)
    assert result.ok
    (request,) = webhook_server.received
    assert request["headers"]["Content-Type"] == "application/json; charset=utf-8"
    payload = json.loads(request["body"].decode("utf-8"))
    assert len(request["headers"]["Idempotency-Key"]) == 32
    assert payload["digest"] == json.loads(result.text)
    assert payload["digest"]["schema"] == "warta.digest/1"
    assert payload["text"].startswith("# Kemenham coverage, Thu 20 Nov 2025")


def test_webhook_server_error_is_retried(webhook_server, database, tmp_path):
    webhook_server.statuses = [503, 502]
    hook = WebhookSettings(url=f"http://127.0.0.1:{webhook_server.server_port}/hook")
    result = build_and_deliver(config_for(database, tmp_path, webhook=hook, retries=3),
                               date.fromisoformat(DAY), "md", None, send=True, backoff=0.01)
    delivery = result.deliveries[-1]
    assert delivery.ok and delivery.attempts == 3
    assert len(webhook_server.received) == 3


def test_webhook_client_error_is_not_retried(webhook_server, database, tmp_path):
    webhook_server.statuses = [404]
    hook = WebhookSettings(url=f"http://127.0.0.1:{webhook_server.server_port}/gone")
    result = build_and_deliver(config_for(database, tmp_path, webhook=hook, retries=3),
                               date.fromisoformat(DAY), "md", None, send=True, backoff=0.01)
    assert not result.ok
    assert (result.deliveries[-1].attempts, result.deliveries[-1].error) == (1, "HTTP 404 Not Found")


def test_a_webhook_that_redirects_is_not_delivered(webhook_server, database, tmp_path):
    webhook_server.statuses = [302]
    hook = WebhookSettings(url=f"http://127.0.0.1:{webhook_server.server_port}/old")
    result = build_and_deliver(config_for(database, tmp_path, webhook=hook, retries=3),
                               date.fromisoformat(DAY), "md", None, send=True, backoff=0.01)
    delivery = result.deliveries[-1]
    assert not result.ok and delivery.attempts == 1
    assert "HTTP 302" in delivery.error and "/landing" in delivery.error
    assert [r.get("method", "POST") for r in webhook_server.received] == ["POST"]


def test_a_webhook_answering_too_slowly_fails_within_its_timeout(webhook_server, database,
                                                                tmp_path):
    webhook_server.statuses = ["trickle"] * 2
    hook = WebhookSettings(url=f"http://127.0.0.1:{webhook_server.server_port}/hook", timeout=1)
    started = time.monotonic()
    result = build_and_deliver(config_for(database, tmp_path, webhook=hook, retries=1),
                               date.fromisoformat(DAY), "md", None, send=True, backoff=0.01)
    delivery = result.deliveries[-1]
    assert not delivery.ok and delivery.attempts == 2
    assert "no complete answer within 1 s" in delivery.error
    assert time.monotonic() - started < 4
    # the receiver did get both POSTs: the retry says it is the same one
    keys = [r["headers"]["Idempotency-Key"] for r in webhook_server.received]
    assert len(keys) == 2 and keys[0] == keys[1] and len(keys[0]) == 32


def test_failed_delivery_is_retried_recorded_and_the_file_still_written(database, tmp_path):
    port = free_port()
    hook = WebhookSettings(url=f"http://127.0.0.1:{port}/hook", timeout=2)
    smtp = SmtpSettings(host="127.0.0.1", port=port, starttls=False, recipients=["d@example.org"])
    out = tmp_path / "out" / "digest.md"
    result = build_and_deliver(config_for(database, tmp_path, webhook=hook, smtp=smtp, retries=2),
                               date.fromisoformat(DAY), "md", out, send=True, backoff=0.01)
    assert not result.ok
    file, by_mail, by_hook = result.deliveries
    assert file.ok and out.read_text(encoding="utf-8") == result.text
    for delivery in (by_mail, by_hook):
        assert not delivery.ok and delivery.attempts == 3
        assert "refused" in delivery.error.lower()
    (row,), errors = recorded(database)
    assert [d["ok"] for d in json.loads(row["delivered"])] == [True, False, False]
    assert sorted(e["url"] for e in errors) == sorted([hook.url, by_mail.target])
    assert all("3 attempt(s)" in e["detail"] for e in errors)


def test_send_without_a_channel_keeps_the_file_alone(database, tmp_path):
    result = build_and_deliver(config_for(database, tmp_path), date.fromisoformat(DAY), "txt",
                               None, send=True)
    written = tmp_path / "digests" / f"digest-{DAY}.txt"
    assert result.ok and [(d.channel, d.target) for d in result.deliveries] == [("file", str(written))]
    assert written.exists()


def write_config(tmp_path, database, extra: str = "") -> str:
    path = tmp_path / "warta.toml"
    path.write_text(f'database = "{database}"\n[watch]\nterms = ["Kemenham"]\n'
                    f'[digest]\nformat = "txt"\nout_dir = "{tmp_path / "digests"}"\n{extra}',
                    encoding="utf-8")
    return str(path)


def test_cli_prints_writes_and_reports_a_failed_send(database, tmp_path):
    runner = CliRunner()
    config = write_config(tmp_path, database,
                          f'retries = 0\n[digest.webhook]\nurl = "http://127.0.0.1:{free_port()}/"\n')
    printed = runner.invoke(main, ["digest", "--config", config, "--date", DAY])
    assert printed.exit_code == 0, printed.output
    assert printed.stdout.startswith("KEMENHAM COVERAGE, THU 20 NOV 2025")

    latest = runner.invoke(main, ["digest", "--config", config, "--date", "latest",
                                  "--format", "md", "--out", str(tmp_path / "d.md")])
    assert latest.exit_code == 0 and latest.stdout == ""
    assert (tmp_path / "d.md").read_text(encoding="utf-8").startswith(
        "# Kemenham coverage, Thu 20 Nov 2025")

    failed = runner.invoke(main, ["digest", "--config", config, "--date", DAY, "--send"])
    assert failed.exit_code == 1
    assert "webhook: FAILED after 1 attempt(s)" in failed.stderr
    assert (tmp_path / "digests" / f"digest-{DAY}.txt").exists()


def test_cli_send_with_no_channel_configured_writes_the_file_and_succeeds(database, tmp_path):
    """A set-up without e-mail or webhook (the shipped config, a daily cron line) keeps
    the digest as a file: nothing failed, so nothing is recorded as an error."""
    config = write_config(tmp_path, database)
    sent = CliRunner().invoke(main, ["digest", "--config", config, "--date", DAY, "--send"])
    assert sent.exit_code == 0, sent.output
    written = tmp_path / "digests" / f"digest-{DAY}.txt"
    assert written.read_text(encoding="utf-8").startswith("KEMENHAM COVERAGE")
    assert f"file: done ({written})" in sent.stderr and "not sent: no [digest.smtp]" in sent.stderr
    db = open_database(database)
    assert db.execute("SELECT count(*) FROM errors WHERE stage = 'digest'").fetchone()[0] == 0
    db.close()


def test_cli_refuses_a_bad_date_and_a_missing_database(tmp_path):
    config = write_config(tmp_path, tmp_path / "none.db")
    missing = CliRunner().invoke(main, ["digest", "--config", config])
    assert missing.exit_code == 1 and "no database at" in missing.output
    (tmp_path / "w.db").write_bytes(b"")
    bad = CliRunner().invoke(main, ["digest", "--config", config, "--db", str(tmp_path / "w.db"),
                                    "--date", "20-11-2025"])
    assert bad.exit_code == 2 and "expected YYYY-MM-DD or 'latest'" in bad.output

    open_database(tmp_path / "empty.db").close()
    empty = CliRunner().invoke(main, ["digest", "--config", config, "--db",
                                      str(tmp_path / "empty.db"), "--date", "latest"])
    assert empty.exit_code == 1 and "holds no story and no crawl yet" in empty.output


def test_smtp_over_implicit_tls_then_login(tmp_path, monkeypatch, database):
    cert, key = self_signed(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    monkeypatch.setenv("SSL_CERT_FILE", cert)
    monkeypatch.setenv(PASSWORD_ENV, "s3cret")
    inbox = Inbox()
    # the whole connection is TLS: aiosmtpd's STARTTLS-only check of AUTH does not apply
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port(), ssl_context=context,
                            authenticator=check_login, auth_require_tls=False)
    controller.start()
    try:
        smtp = SmtpSettings(host="127.0.0.1", port=controller.port, starttls=False, ssl=True,
                            user="monitor", password_env=PASSWORD_ENV,
                            recipients=["desk@example.org"])
        result = build_and_deliver(config_for(database, tmp_path, smtp=smtp),
                                   date.fromisoformat(DAY), "md", None, send=True)
    finally:
        controller.stop()
    assert result.ok, result.deliveries
    assert inbox.envelopes[0].rcpt_tos == ["desk@example.org"]


def test_two_sends_of_one_digest_at_once_deliver_it_once(smtp_server, database, tmp_path):
    controller, inbox = smtp_server
    smtp = SmtpSettings(host="127.0.0.1", port=controller.port, starttls=False,
                        recipients=["desk@example.org"])
    config = config_for(database, tmp_path, smtp=smtp, retries=0)
    day = date.fromisoformat(DAY)
    results = []
    senders = [threading.Thread(target=lambda: results.append(
        build_and_deliver(config, day, "md", None, send=True))) for _ in range(3)]
    for sender in senders:
        sender.start()
    for sender in senders:
        sender.join()
    assert len(inbox.envelopes) == 1 and all(r.ok for r in results), [d.error for r in results for d in r.deliveries]
