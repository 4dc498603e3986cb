"""Mail delivery through a real SMTP server on 127.0.0.1 (aiosmtpd), and to the outbox."""

import os
import socket
import stat
import threading
from datetime import timedelta
from email import message_from_bytes, policy
from pathlib import Path

import sqlalchemy as sa

from tests.mail_helpers import deliver_now, make_due, smtp_server_fixture, use_smtp  # noqa: F401 (fixture)
from welfare.database import utcnow
from welfare.extensions import csrf, db
from welfare.mail import MailState, OutgoingMail, latest_for, queue

LINK = "https://pisarna.example/r/abc123-enkratna-povezava"
SUBJECT = "Napotitev: Center za socialno delo – pomoč družini (čšž ČŠŽ)"
BODY = f"Spoštovani,\n\nprosimo, odgovorite na napotitev: {LINK}\n\nLep pozdrav, Pisarna lokalne blaginje (č š ž)\n"


def _queue(app, to="cent.er@csd.example", subject=SUBJECT, body=BODY, about="referral:1") -> int:
    with app.app_context():
        mail = queue(to, subject, body, about=about)
        db.session.commit()
        mail_id = mail.id
        db.session.remove()
        return mail_id


def _mail(app, mail_id) -> OutgoingMail:
    with app.app_context():
        mail = db.session.get(OutgoingMail, mail_id)
        db.session.expunge(mail)
        db.session.remove()
        return mail


def test_a_queued_message_arrives_through_smtp_with_its_link_and_slovenian_letters(app, smtp_server):
    use_smtp(app, smtp_server)
    mail_id = _queue(app)

    assert deliver_now(app).sent == 1

    [message] = smtp_server.messages
    assert message["To"] == "cent.er@csd.example"
    assert message["From"] == "pisarna@novomesto.example"
    assert message["Subject"] == SUBJECT
    body = message.get_content()
    assert LINK in body
    assert "Spoštovani" in body and "(č š ž)" in body
    assert smtp_server.envelopes == [("pisarna@novomesto.example", ["cent.er@csd.example"])]
    mail = _mail(app, mail_id)
    assert mail.state == MailState.SENT.value
    assert mail.sent_at is not None and mail.attempts == 1
    assert mail.body is None  # the one-time link does not linger in the database
    with app.app_context():
        assert latest_for("referral:1").state == MailState.SENT.value


def test_a_refusing_server_keeps_the_message_pending_with_backoff_until_it_accepts(app, smtp_server):
    use_smtp(app, smtp_server, MAIL_RETRY_BASE_SECONDS=60)
    mail_id = _queue(app)
    smtp_server.refuse_with = 451

    before = utcnow()
    result = deliver_now(app)

    assert (result.sent, result.retrying, result.failed) == (0, 1, 0)
    mail = _mail(app, mail_id)
    assert mail.state == MailState.PENDING.value
    assert mail.attempts == 1
    assert "451" in mail.last_error
    assert mail.next_attempt_at >= before + timedelta(seconds=59)
    assert mail.body == BODY  # kept for the retry

    # Not due yet: a second run right away does not hammer the server.
    assert deliver_now(app).retrying == 0 and smtp_server.messages == []

    smtp_server.refuse_with = None
    make_due(app)
    assert deliver_now(app).sent == 1
    assert len(smtp_server.messages) == 1
    mail = _mail(app, mail_id)
    assert (mail.state, mail.attempts, mail.last_error) == (MailState.SENT.value, 2, None)


def test_the_backoff_doubles_with_each_failed_try(app, smtp_server):
    from welfare.mail.delivery import retry_delay

    with app.app_context():
        app.config["MAIL_RETRY_BASE_SECONDS"] = 60
        assert [retry_delay(n).total_seconds() for n in (1, 2, 3, 4)] == [60, 120, 240, 480]
        assert retry_delay(40).total_seconds() == 6 * 3600


def test_an_unreachable_server_is_recorded_without_raising(app):
    with socket.socket() as sock:  # a port nobody listens on once closed
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    app.config.update(MAIL_BACKEND="smtp", MAIL_HOST="127.0.0.1", MAIL_PORT=port, MAIL_PASSWORD="geslo-skrivno")
    mail_id = _queue(app)

    assert deliver_now(app).retrying == 1

    mail = _mail(app, mail_id)
    assert mail.state == MailState.PENDING.value
    assert mail.last_error.startswith("ConnectionRefusedError")
    assert "geslo" not in mail.last_error


def test_the_message_fails_after_the_last_allowed_try(app, smtp_server, runner):
    use_smtp(app, smtp_server, MAIL_MAX_ATTEMPTS=3)
    mail_id = _queue(app)
    smtp_server.refuse_with = 451

    states = []
    for _ in range(3):
        make_due(app)
        deliver_now(app)
        states.append(_mail(app, mail_id).state)

    assert states == ["pending", "pending", "failed"]
    make_due(app)  # a failed message is not retried any more
    assert deliver_now(app).sent == 0 and smtp_server.connections == 3

    listing = runner.invoke(args=["mail", "list"]).output
    assert "failed   1" in listing
    assert "cent.er@csd.example" in listing and "451" in listing
    assert LINK not in listing and "Spoštovani" not in listing

    # The server is fixed: the administrator sends the failed message again.
    smtp_server.refuse_with = None
    assert runner.invoke(args=["mail", "retry"]).exit_code == 2  # names nothing: a usage error
    assert "1 message(s) queued again" in runner.invoke(args=["mail", "retry", "--all-failed"]).output
    assert deliver_now(app).sent == 1
    assert LINK in smtp_server.messages[0].get_content()


def test_a_permanent_refusal_fails_at_once(app, smtp_server):
    use_smtp(app, smtp_server)
    mail_id = _queue(app)
    smtp_server.refuse_with = 550

    assert deliver_now(app).failed == 1
    mail = _mail(app, mail_id)
    assert (mail.state, mail.attempts) == (MailState.FAILED.value, 1)
    assert "550" in mail.last_error


def test_a_claimed_message_cannot_be_claimed_by_a_second_deliverer(app):
    from welfare.mail.delivery import claim, due_ids

    mail_id = _queue(app)
    with app.app_context():
        seen_by_first = due_ids(10)
        seen_by_second = due_ids(10)  # both looked before either claimed
        assert seen_by_first == seen_by_second == [mail_id]
        assert claim(mail_id) is not None
        assert claim(mail_id) is None
        db.session.remove()


def test_two_concurrent_deliverers_send_each_message_once(app, smtp_server):
    use_smtp(app, smtp_server)
    ids = [_queue(app, to=f"org{i}@example.org", about=f"referral:{i}") for i in range(6)]
    smtp_server.hold()

    first = threading.Thread(target=deliver_now, args=(app,))
    first.start()
    # The first deliverer has listed all six, claimed one and is in the middle of sending it...
    assert smtp_server.wait_for_data(1)
    # ...when a second one (another worker, or the cron run) starts on the same queue and
    # gets as far as sending one of the others.
    second = threading.Thread(target=deliver_now, args=(app,))
    second.start()
    assert smtp_server.wait_for_data(2)
    smtp_server.release()
    first.join(30)
    second.join(30)

    recipients = sorted(rcpt for _from, [rcpt] in smtp_server.envelopes)
    assert recipients == sorted(f"org{i}@example.org" for i in range(6))
    with app.app_context():
        states = db.session.scalars(sa.select(OutgoingMail.state).where(OutgoingMail.id.in_(ids))).all()
        attempts = db.session.scalars(sa.select(OutgoingMail.attempts)).all()
        db.session.remove()
    assert set(states) == {"sent"} and set(attempts) == {1}


def test_the_outbox_backend_writes_one_private_eml_per_message(app):
    assert app.config["MAIL_BACKEND"] == "outbox"  # no MAIL_HOST: development default
    mail_id = _queue(app)

    assert deliver_now(app).sent == 1

    [path] = (Path(app.config["DATA_DIR"]) / "outbox").glob("*.eml")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    message = message_from_bytes(path.read_bytes(), policy=policy.default)
    assert message["Subject"] == SUBJECT
    assert LINK in message.get_content()
    assert _mail(app, mail_id).state == MailState.SENT.value


def test_mail_send_command_delivers_what_is_due(app, runner):
    _queue(app)
    _queue(app, to="drugi@example.org")

    result = runner.invoke(args=["mail", "send"])

    assert result.exit_code == 0
    assert "sent 2" in result.output
    assert "sent     2" in runner.invoke(args=["mail", "list"]).output


def test_a_request_that_queues_mail_returns_before_a_slow_server_answers(app, smtp_server):
    from welfare.mail.background import wait_for_background_delivery

    use_smtp(app, smtp_server, MAIL_DELIVER_AFTER_COMMIT=True)

    @app.post("/test-only/queue-mail")
    @csrf.exempt
    def queue_mail():
        queue("org@example.org", SUBJECT, BODY, about="referral:7")
        db.session.commit()
        return "queued"

    smtp_server.hold()
    response = app.test_client().post("/test-only/queue-mail")

    assert response.status_code == 200
    # The delivery thread reached the server, and the server has not accepted the message yet.
    assert smtp_server.data_started.wait(10)
    assert smtp_server.messages == []
    smtp_server.release()
    wait_for_background_delivery()
    assert [m["To"] for m in smtp_server.messages] == ["org@example.org"]
    with app.app_context():
        assert latest_for("referral:7").state == MailState.SENT.value
        db.session.remove()


def test_a_rolled_back_request_starts_no_delivery(app, smtp_server, monkeypatch):
    from welfare.mail import background

    use_smtp(app, smtp_server, MAIL_DELIVER_AFTER_COMMIT=True)
    started = []
    monkeypatch.setattr(background, "start_background_delivery", lambda: started.append(1))

    @app.post("/test-only/queue-then-undo")
    @csrf.exempt
    def queue_then_undo():
        queue("org@example.org", SUBJECT, BODY)
        db.session.rollback()
        db.session.commit()
        return "undone"

    assert app.test_client().post("/test-only/queue-then-undo").status_code == 200
    assert started == []
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(OutgoingMail)) == 0
