"""What features contribute to the core: the home page each role lands on after login.

Features register in their `init_app`; the core looks them up without importing a feature.
"""

from flask import Flask, current_app, url_for

_HOME_PAGES = "welfare.home_pages"


def register_home_page(app: Flask, roles, endpoint: str) -> None:
    """Send users of these roles to `endpoint` after login."""
    pages = app.extensions.setdefault(_HOME_PAGES, {})
    for role in roles:
        pages[role] = endpoint


def home_page_for(role) -> str:
    """The URL a user of this role works from; the public catalog if no feature claimed it."""
    endpoint = current_app.extensions.get(_HOME_PAGES, {}).get(role)
    return url_for(endpoint) if endpoint else "/"
