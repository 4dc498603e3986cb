"""A real SMTP server on 127.0.0.1 (aiosmtpd) for tests that send mail.

Use it from any test module:

    from tests.mail_helpers import deliver_now, smtp_server_fixture, use_smtp  # noqa: F401 (fixture)

    def test_x(app, smtp_server):
        use_smtp(app, smtp_server)
        ...  # queue mail, then deliver_now(app)
        message = smtp_server.messages[0]  # email.message.EmailMessage

In tests the app does not deliver on its own after a commit (MAIL_DELIVER_AFTER_COMMIT is off
when TESTING): call `deliver_now(app)`, or pass `MAIL_DELIVER_AFTER_COMMIT=True` to `use_smtp`
and then `welfare.mail.background.wait_for_background_delivery()`.

The server can refuse recipients with a code (`refuse_with = 451`) or hold every message
until the test lets it go (`hold()` / `release()`), to stand in for a slow server.
"""

import asyncio
import threading
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller


class _AnyPortController(Controller):
    """aiosmtpd's Controller, bound to port 0 (the OS picks a free port), then told which one."""

    def _trigger_server(self):
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


class SmtpServer:
    """What a test sees: where the server listens, what it received, and knobs to misbehave."""

    def __init__(self):
        self.host = "127.0.0.1"
        self.port = 0
        self.messages: list[EmailMessage] = []
        self.envelopes = []  # (mail_from, rcpt_tos)
        self.refuse_with: int | None = None  # e.g. 451 (try later) or 550 (never)
        self.connections = 0
        self.data_started = threading.Event()  # set when a message's DATA arrives
        self._arrivals = 0
        self._arrived = threading.Condition()
        self._release = threading.Event()
        self._release.set()

    def hold(self) -> None:
        """Answer DATA only after release(): a slow server."""
        self._release.clear()

    def release(self) -> None:
        self._release.set()

    def wait_for_data(self, count: int, timeout: float = 10) -> bool:
        """Wait until `count` messages have reached DATA (held ones included)."""
        with self._arrived:
            return self._arrived.wait_for(lambda: self._arrivals >= count, timeout)

    # aiosmtpd handler hooks
    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        self.connections += 1
        session.host_name = hostname
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse_with:
            return f"{self.refuse_with} mailbox not available now"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.data_started.set()
        with self._arrived:
            self._arrivals += 1
            self._arrived.notify_all()
        await asyncio.get_running_loop().run_in_executor(None, self._release.wait, 30)
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        self.messages.append(message_from_bytes(envelope.original_content, policy=policy.default))
        return "250 Message accepted"


@pytest.fixture(name="smtp_server")
def smtp_server_fixture():
    """A running SMTP server on 127.0.0.1 and a free port; stopped after the test."""
    server = SmtpServer()
    controller = _AnyPortController(server, hostname="127.0.0.1", port=0)
    controller.start()
    server.port = controller.port
    try:
        yield server
    finally:
        server.release()
        controller.stop()


def use_smtp(app, server: SmtpServer, **settings) -> None:
    """Point the app's mail at the test server (delivery reads the settings on every send)."""
    app.config.update(
        MAIL_BACKEND="smtp",
        MAIL_HOST=server.host,
        MAIL_PORT=server.port,
        MAIL_STARTTLS=False,
        MAIL_USER=None,
        MAIL_SENDER="pisarna@novomesto.example",
        **settings,
    )


def deliver_now(app, limit: int = 50):
    """Run one delivery pass, as the cron command does, and return its counts."""
    from welfare.extensions import db
    from welfare.mail.delivery import deliver_pending

    with app.app_context():
        try:
            return deliver_pending(limit)
        finally:
            db.session.remove()


def make_due(app) -> None:
    """Move every pending message's next try to now (instead of waiting out the backoff)."""
    import sqlalchemy as sa

    from welfare.database import utcnow
    from welfare.extensions import db
    from welfare.mail import MailState, OutgoingMail

    with app.app_context():
        db.session.execute(
            sa.update(OutgoingMail)
            .where(OutgoingMail.state == MailState.PENDING.value)
            .values(next_attempt_at=utcnow())
        )
        db.session.commit()
        db.session.remove()
