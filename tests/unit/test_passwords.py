import pytest

from welfare.passwords import hash_password, password_problems, verify_password


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield


@pytest.mark.parametrize(
    "password",
    [
        "1234567890",
        "Qwertyuiop",
        "password123",
        "Geslo12345",
        "aaaaaaaaaaaa",
        "abababababab",
        "asdfghjkl",
        "novomesto123",
        "Password123!",
        "Welcome123!",
        "Summer2024!",
    ],
)
def test_guessable_passwords_are_refused(ctx, password):
    problems = password_problems(password)
    assert any("too easy to guess" in p or "at least" in p for p in problems), problems


def test_the_persons_and_the_offices_names_count_as_guessable(ctx):
    assert password_problems("Zvonimira.1987", "ana", "Zvonimira Kovačič")[0] == "This password is too easy to guess."
    assert password_problems("Blaginje2024!")[0] == "This password is too easy to guess."
    assert password_problems("Zvonimira tulip lantern", "ana") == []


def test_feedback_is_translated(app):
    from flask_babel import force_locale

    with app.test_request_context(), force_locale("sl"):
        problems = password_problems("Password123!")
    assert problems[0] != "This password is too easy to guess."
    assert all(p.isascii() is False or p for p in problems)
    assert not any("Add another word" in p for p in problems)


def test_length_bounds(ctx):
    assert password_problems("short pw") == ["The password must have at least 10 characters."]
    assert password_problems("river7tulip" * 11 + "lantern") == []  # 128 characters is the maximum
    assert password_problems("river7tulip" * 11 + "lanterns") == ["The password can have at most 128 characters."]
    assert password_problems("river tulip 9 lantern " * 3) == []  # 66 characters


def test_password_must_not_contain_username(ctx):
    assert password_problems("ana.novak-secret-99", "ana.novak") == ["The password must not contain the username."]


def test_hash_is_argon2id_and_verifies(app):
    # The production profile, not the cheap one tests use elsewhere.
    app.config["PASSWORD_HASH_PROFILE"] = "RFC_9106_LOW_MEMORY"
    with app.app_context():
        hashed = hash_password("river tulip lantern")
        assert hashed.startswith("$argon2id$")
        assert "m=65536" in hashed
        assert verify_password(hashed, "river tulip lantern")
        assert not verify_password(hashed, "river tulip lanterns")
        assert not verify_password("not a hash", "river tulip lantern")
