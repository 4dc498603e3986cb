"""The in-case catalog search keeps its words out of URLs and so out of every server log.

A search is posted; its words are kept server side as the user's draft for the case's search
page (`/cases/<n>/referrals/search`: encrypted at rest, erased and anonymized with the case like
every draft of its pages) under a random id, and the result pages carry only that id
(`/cases/<n>/referrals/new?search=<id>&page=2`). The last few searches of a user on a case are
kept, so the back button returns to each of them; an older id is answered with "search again".
"""

import secrets

from cases import drafts

KEPT = 5  # searches per user and case that the back button can still reach


def form_key(number: str) -> str:
    # Also the path the search form posts to: a post after the session expired is kept under it.
    return f"/cases/{number}/referrals/search"


def _kept(user_id: int, number: str) -> tuple[list[str], list[str]]:
    draft = drafts.find(user_id, form_key(number))
    if draft is None:
        return [], []
    fields = draft.fields
    return fields.get("q", []), fields.get("search", [])


def remember(user_id: int, number: str, query: str) -> str:
    """Keep `query` under a new random id (newest first, KEPT at most) and return the id; commits."""
    words, ids = _kept(user_id, number)
    ids = ids + [""] * (len(words) - len(ids))  # a search kept at an expired session had no id yet
    token = secrets.token_urlsafe(12)
    drafts.keep(
        user_id,
        form_key(number),
        {"q": [query, *words[: KEPT - 1]], "search": [token, *ids[: KEPT - 1]]},
    )
    return token


def recall(user_id: int, number: str, token: str) -> str | None:
    """The words kept under `token`; None when it is not (or no longer) kept."""
    words, ids = _kept(user_id, number)
    for kept_words, kept_id in zip(words, ids, strict=False):
        if kept_id and secrets.compare_digest(kept_id, token):
            return kept_words
    return None


def unfinished(user_id: int, number: str) -> str | None:
    """A search posted after the session expired (kept without an id), to run after the login."""
    words, ids = _kept(user_id, number)
    if words and not (ids and ids[0]):
        return words[0]
    return None
