"""The Whoosh index of public services under DATA_DIR/search-index/.

The index follows the database's change feed (`search_index_change`, see `follow`); each index
folder remembers in its FOLLOWED file the last change it has applied. A rebuild writes a fresh
index into a new folder and then switches the CURRENT pointer file atomically, so searches
never see a half-built index. Writers wait for Whoosh's lock (timeout) instead of losing updates.
"""

import contextlib
import json
import logging
import os
import shutil
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import Session
from whoosh import fields, index
from whoosh.filedb.filestore import FileStorage

from catalog.models import LINK_DOMAIN, LINK_PROVIDER_TYPE, LINK_TARGET_GROUP, Attribute, Service
from catalog.search.analysis import SlovenianAnalyzer, fold
from catalog.search.models import SearchIndexChange
from catalog.search.open_searchers import LiveIndex
from welfare import clock
from welfare.database import read_only_engine
from welfare.extensions import db
from welfare.faults import pause_point

log = logging.getLogger(__name__)
WRITER_TIMEOUT = 30.0
_analyzer = SlovenianAnalyzer()


def schema() -> fields.Schema:
    text = dict(analyzer=_analyzer, phrase=True)
    return fields.Schema(
        id=fields.ID(stored=True, unique=True),
        name=fields.TEXT(field_boost=6.0, **text),
        org=fields.TEXT(field_boost=3.0, **text),
        domains=fields.TEXT(field_boost=2.0, **text),
        body=fields.TEXT(**text),
        # Everything once more in one field: matching and counting walk one posting list per form.
        all=fields.TEXT(analyzer=_analyzer, phrase=False),
        # Kept for re-ranking the top hits by where the words matched (name, provider, domains).
        label_name=fields.STORED,
        label_org=fields.STORED,
        label_domains=fields.STORED,
        name_key=fields.ID(),
        # Facet values are stored too: counts are taken from a per-index cache of them.
        f_domain=fields.KEYWORD(commas=True, stored=True),
        f_group=fields.KEYWORD(commas=True, stored=True),
        f_area=fields.KEYWORD(commas=True, stored=True),
        f_provider=fields.KEYWORD(commas=True, stored=True),
        f_free=fields.ID(stored=True),
        f_lang=fields.KEYWORD(commas=True, stored=True),
        sort_name=fields.ID(sortable=True),
        verified=fields.NUMERIC(sortable=True, default=0),
    )


def _forms(text: str) -> set[str]:
    return {t.text for t in _analyzer(text)}


def name_key(text: str) -> str:
    return " ".join(fold(text).split())


# ---- locating the live index --------------------------------------------------------------------


def root() -> Path:
    return Path(current_app.config["DATA_DIR"]) / "search-index"


class PrivateStorage(FileStorage):
    """Index files readable by the service's user only (0600), like the database."""

    def create_file(self, name, excl=False, mode="wb", **kwargs):
        stream = super().create_file(name, excl=excl, mode=mode, **kwargs)
        os.chmod(self._fpath(name), 0o600)
        return stream

    def lock(self, name):
        # Whoosh's lock file would get the umask's mode: make it first, privately.
        with contextlib.suppress(FileExistsError):
            os.close(os.open(self._fpath(name), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        return super().lock(name)


def _create_index(directory: Path):
    return PrivateStorage(str(directory)).create().create_index(schema())


def current_dir() -> Path | None:
    """The folder of the live index, or None before the first build."""
    pointer = root() / "CURRENT"
    if not pointer.exists():
        return None
    return root() / pointer.read_text().strip()


_current_dir = current_dir  # the older private name, still used by tests

_open_indexes: dict[tuple, index.Index] = {}


def _pointer_stamp() -> tuple | None:
    # Switching folders replaces CURRENT (a new inode), so this identifies the live folder
    # without reading the pointer or listing the folder on every search.
    try:
        stat = (root() / "CURRENT").stat()
    except OSError:
        return None
    return (str(root()), stat.st_ino, stat.st_mtime_ns)


def open_index(create: bool = False):
    """The live index (kept open per process); created empty when missing and create is set."""
    stamp = _pointer_stamp()
    if stamp is not None and stamp in _open_indexes:
        return _open_indexes[stamp]
    directory = current_dir()
    if directory is None or not index.exists_in(str(directory)):
        if not create:
            raise index.EmptyIndexError("no search index yet")
        directory = _new_dir()
        _create_index(directory)
        _switch_to(directory)
        stamp = _pointer_stamp()
    if len(_open_indexes) > 8:
        _open_indexes.clear()  # folders switched by rebuilds (or many apps in one test process)
    _open_indexes[stamp] = opened = LiveIndex(PrivateStorage(str(directory)).open_index())
    return opened


def _new_dir() -> Path:
    root().mkdir(mode=0o700, exist_ok=True)
    directory = root() / f"idx-{time.strftime('%Y%m%d%H%M%S')}-{uuid.uuid4().hex[:6]}"
    directory.mkdir(mode=0o700)
    return directory


def _switch_to(directory: Path) -> None:
    pointer = root() / "CURRENT"
    tmp = root() / f"CURRENT.{uuid.uuid4().hex}"
    os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    tmp.write_text(directory.name)
    os.replace(tmp, pointer)  # atomic: readers see the old or the new index, never neither


# ---- documents ---------------------------------------------------------------------------------


def _public():
    from catalog.services import public_service_filter, with_details

    return with_details(sa.select(Service).join(Service.organization).where(public_service_filter()))


def document(service: Service, provider_codes: list[str]) -> dict:
    domains = service.terms(LINK_DOMAIN)
    groups = service.terms(LINK_TARGET_GROUP)
    org = service.organization
    body = [
        service.description,
        service.alternate_name,
        service.eligibility_description,
        service.application_process,
        service.fees_description,
        *(d.document for d in service.required_documents),
        *(a.name for a in service.service_areas),
    ]
    verified = service.assured_date.toordinal() if service.assured_date else 0
    return {
        "id": service.id,
        "name": service.name,
        "org": " ".join(p for p in (org.name, org.alternate_name) if p),
        "domains": " ".join(t.name for t in domains + groups),
        "body": " ".join(p for p in body if p),
        "all": " ".join(
            p for p in (service.name, org.name, org.alternate_name, *(t.name for t in domains + groups), *body) if p
        ),
        "name_key": name_key(service.name),
        "label_name": " ".join(sorted(_forms(service.name))),
        "label_org": " ".join(sorted(_forms(" ".join(p for p in (org.name, org.alternate_name) if p)))),
        "label_domains": " ".join(sorted(_forms(" ".join(t.name for t in domains + groups)))),
        "f_domain": ",".join(t.code or t.id for t in domains),
        "f_group": ",".join(t.code or t.id for t in groups),
        "f_area": ",".join(a.name for a in service.service_areas if a.name),
        "f_provider": ",".join(provider_codes),
        "f_free": "1" if service.is_free else "0",
        "f_lang": ",".join(lang.code for lang in service.languages if lang.code),
        "sort_name": fold(service.name),
        "verified": verified,
    }


def _provider_codes(session: Session, org_ids: set[str]) -> dict[str, list[str]]:
    rows = session.execute(
        sa.select(Attribute.link_id, Attribute.taxonomy_term_id).where(
            Attribute.link_entity == "organization",
            Attribute.link_type == LINK_PROVIDER_TYPE,
            Attribute.link_id.in_(org_ids),
        )
    )
    codes: dict[str, list[str]] = {}
    for org_id, term_id in rows:
        codes.setdefault(org_id, []).append(term_id.rsplit(":", 1)[-1])
    return codes


def _documents(session: Session, ids: set[str] | None = None):
    statement = _public()
    if ids is not None:
        statement = statement.where(Service.id.in_(ids))
    services = session.scalars(statement).unique().all()
    providers = _provider_codes(session, {s.organization_id for s in services})
    return [document(s, providers.get(s.organization_id, [])) for s in services]


# ---- writing -----------------------------------------------------------------------------------


def update_services(ids: set[str]) -> None:
    """Re-index these services from the database: public ones are (re)written, others removed."""
    if not ids:
        return
    with Session(read_only_engine()) as session:
        docs = _documents(session, ids)
    ix = open_index(create=True)
    writer = ix.writer(timeout=WRITER_TIMEOUT)
    try:
        found = {d["id"] for d in docs}
        for doc in docs:
            writer.update_document(**doc)
        for missing in ids - found:
            writer.delete_by_term("id", missing)
        writer.commit()
    except Exception:
        writer.cancel()
        raise


def rebuild(progress=None) -> int:
    """Build a complete index in a new folder, switch to it, delete the old one; return documents.

    The new folder follows the change feed from the newest change that existed before the
    documents were read (a change committed meanwhile is applied again: that is harmless)."""
    with Session(read_only_engine()) as session:
        covered = latest_change_id(session)
        gaps = recent_gaps(session, covered)
        docs = _documents(session)
    old = current_dir()
    directory = _new_dir()
    try:
        ix = _create_index(directory)
        writer = ix.writer(timeout=WRITER_TIMEOUT, procs=1, limitmb=128)
        for doc in docs:
            writer.add_document(**doc)
            pause_point("index.rebuild")
            if progress:
                progress(1)
        writer.commit()
        write_followed(directory, FollowState(change_id=covered, gaps=gaps))
        _switch_to(directory)
    except BaseException:
        # A full disk or a kill: the half-built folder goes, the old index keeps serving.
        shutil.rmtree(directory, ignore_errors=True)
        raise
    clear_stale()
    if old is not None and old != directory:
        shutil.rmtree(old, ignore_errors=True)
    return len(docs)


def indexed_ids() -> set[str]:
    ix = open_index()
    with ix.searcher() as searcher:
        return {fields_["id"] for fields_ in searcher.all_stored_fields()}


def public_ids() -> set[str]:
    from catalog.services import public_service_filter

    return set(db.session.scalars(sa.select(Service.id).join(Service.organization).where(public_service_filter())))


# ---- which changes an index folder has applied -------------------------------------------------

FOLLOWED = "FOLLOWED"
# A change id below the newest one may still belong to a transaction that has not committed
# (PostgreSQL hands out ids before commit): such ids are looked for again for this long.
GAP_SECONDS = 300
GAP_LOOKBACK = 200


@dataclass
class FollowState:
    """The newest change id applied, when that was written, and lower ids not seen yet."""

    change_id: int = 0
    at: float = field(default_factory=time.time)
    gaps: dict[int, float] = field(default_factory=dict)


def read_followed(directory: Path | None) -> FollowState | None:
    """The folder's state; None when there is none (an index from before the change feed) or it
    cannot be read: the caller rebuilds then."""
    if directory is None:
        return None
    try:
        raw = json.loads((directory / FOLLOWED).read_text())
        gaps = {int(k): float(v) for k, v in raw.get("gaps", {}).items()}
        return FollowState(change_id=int(raw["change_id"]), at=float(raw["at"]), gaps=gaps)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def write_followed(directory: Path, state: FollowState) -> None:
    """Write the state atomically (after the Whoosh commit it describes): readers see the old or
    the new file, never half of one."""
    tmp = directory / f"{FOLLOWED}.{uuid.uuid4().hex}"
    os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    tmp.write_text(json.dumps({"change_id": state.change_id, "at": state.at, "gaps": state.gaps}))
    os.replace(tmp, directory / FOLLOWED)


def latest_change_id(session: Session) -> int:
    return session.scalar(sa.select(sa.func.max(SearchIndexChange.id))) or 0


def recent_gaps(session: Session, below: int) -> dict[int, float]:
    """Ids just below `below` that have no row (yet): a transaction may still be committing them."""
    seen = set(session.scalars(sa.select(SearchIndexChange.id).where(SearchIndexChange.id > below - GAP_LOOKBACK)))
    now = time.time()
    # Below the lowest row still there, ids are pruned or long gone, not in flight.
    return {i: now for i in range(min(seen, default=below) + 1, below) if i not in seen}


def mark_stale() -> None:
    try:
        root().mkdir(mode=0o700, parents=True, exist_ok=True)
        (root() / "STALE").write_text(str(clock.today()))
    except OSError:
        log.exception("could not mark the search index stale")


def is_stale() -> bool:
    return (root() / "STALE").exists()


def clear_stale() -> None:
    (root() / "STALE").unlink(missing_ok=True)
