"""What Lighthouse's mobile audits flagged on the public pages (issue 23): a real favicon, a meta
description on every public page, compressed text, no `role` on a heading, no skipped levels."""

import gzip
import re
from html.parser import HTMLParser

import brotli
import pytest
import sqlalchemy as sa

from catalog.models import Organization, Service
from welfare.extensions import db
from welfare.models import Role


class Outline(HTMLParser):
    """The page's headings (level, attributes) and its meta description."""

    def __init__(self):
        super().__init__()
        self.headings: list[tuple[int, dict]] = []
        self.description: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append((int(tag[1]), attrs))
        if tag == "meta" and attrs.get("name") == "description":
            self.description = attrs.get("content")


def _outline(client, url: str) -> Outline:
    response = client.get(url)
    assert response.status_code == 200, url
    outline = Outline()
    outline.feed(response.get_data(as_text=True))
    return outline


@pytest.fixture
def public_pages(app, demo):
    with app.app_context():
        service_id = db.session.scalar(sa.select(Service.id).where(Service.name == "SOS telefon za žrtve nasilja"))
        org_id = db.session.scalar(sa.select(Organization.id).order_by(Organization.name))
    return [
        "/",
        "/search",
        "/search?q=dolgovi",
        "/search?q=mo%C5%BE+me+tepe",
        "/search?q=xqzzy",
        "/domains/nasilje",
        f"/services/{service_id}",
        f"/services/{service_id}/report",
        f"/organizations/{org_id}",
    ]


def test_favicon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.data[:4] == b"\x00\x00\x01\x00"  # an ICO file
    assert response.mimetype in ("image/vnd.microsoft.icon", "image/x-icon")
    assert '<link rel="icon" href="/favicon.ico"' in client.get("/").get_data(as_text=True)


def test_every_public_page_has_its_own_meta_description(client, public_pages):
    descriptions = {}
    for url in public_pages:
        description = _outline(client, url).description
        assert description and 20 <= len(description) <= 165, (url, description)
        descriptions[url] = description
    # The pages about one thing say what that thing is.
    assert len({descriptions[u] for u in public_pages if u.startswith(("/domains", "/services", "/organ"))}) == 4
    assert "dolgovi" in descriptions["/search?q=dolgovi"]


def test_headings_carry_no_role_and_skip_no_level(client, public_pages):
    for url in public_pages:
        headings = _outline(client, url).headings
        assert headings and headings[0][0] == 1, url
        assert not [attrs for _, attrs in headings if "role" in attrs], url
        levels = [level for level, _ in headings]
        skips = [(a, b) for a, b in zip(levels, levels[1:], strict=False) if b > a + 1]
        assert not skips, (url, levels)


@pytest.mark.parametrize("url", ["/", "/search?q=dolgovi", "/api/hsds/services", "/domains/nasilje"])
def test_public_text_is_compressed(client, demo, url):
    response = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response.headers["Vary"]
    assert len(gzip.decompress(response.data)) > len(response.data)


def test_static_files_are_compressed_as_browsers_ask(client):
    # Static files are sent as streams: Brotli or zstd (Flask-Compress streams no gzip).
    response = client.get("/static/css/app.css", headers={"Accept-Encoding": "gzip, deflate, br, zstd"})
    assert response.status_code == 200 and response.headers["Content-Encoding"] in ("br", "zstd")
    if response.headers["Content-Encoding"] == "br":
        assert b".quick-exit" in brotli.decompress(response.data)


def test_brotli_when_the_browser_offers_it(client):
    response = client.get("/", headers={"Accept-Encoding": "gzip, deflate, br"})
    assert response.headers["Content-Encoding"] in ("br", "zstd")


def test_staff_pages_are_not_compressed(login_as):
    # BREACH: a page with session-bound secrets and reflected text must not leak through its size.
    staff = login_as(Role.ORGANIZER)
    for url in ("/cases/", "/staff/catalog/", "/search?q=dolgovi"):
        response = staff.get(url, headers={"Accept-Encoding": "gzip, br"})
        assert response.status_code == 200, url
        assert "Content-Encoding" not in response.headers, url


def test_without_accept_encoding_nothing_is_compressed(client):
    assert "Content-Encoding" not in client.get("/").headers
