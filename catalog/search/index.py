"""The Whoosh index of public services under DATA_DIR/search-index/.

The index follows the database: service ids touched in a session are collected on flush,
written after commit and dropped on rollback. A rebuild writes a fresh index into a new
folder and then switches the CURRENT pointer file atomically, so searches never see a
half-built index. Writers wait for Whoosh's lock (timeout) instead of losing updates.
"""

import contextlib
import logging
import os
import shutil
import time
import uuid
from datetime import date
from pathlib import Path

import sqlalchemy as sa
from flask import current_app, has_app_context
from sqlalchemy.orm import Session
from whoosh import fields, index
from whoosh.filedb.filestore import FileStorage
from whoosh.writing import LockError

from catalog.models import LINK_DOMAIN, LINK_PROVIDER_TYPE, LINK_TARGET_GROUP, Attribute, Organization, Service
from catalog.search.analysis import SlovenianAnalyzer, fold
from welfare.database import read_only_engine
from welfare.extensions import db

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


def _current_dir() -> Path | None:
    pointer = root() / "CURRENT"
    if not pointer.exists():
        return None
    return root() / pointer.read_text().strip()


_open_indexes: dict[str, index.Index] = {}


def open_index(create: bool = False):
    """The live index (kept open per process); created empty when missing and create is set."""
    directory = _current_dir()
    if directory is None or not index.exists_in(str(directory)):
        if not create:
            raise index.EmptyIndexError("no search index yet")
        directory = _new_dir()
        _create_index(directory)
        _switch_to(directory)
    key = str(directory)
    if key not in _open_indexes:
        _open_indexes.clear()  # a rebuild switched folders: forget the old one
        _open_indexes[key] = PrivateStorage(key).open_index()
    return _open_indexes[key]


_facet_cache: dict = {}
FACET_FIELDS = ("f_domain", "f_group", "f_area", "f_provider", "f_lang", "f_free")


def facet_values(ix, searcher) -> dict[str, list[tuple[str, ...]]]:
    """Per document number: the service id and the facet values; cached per index generation,
    so counting facets costs a pass over the matched documents only."""
    key = (ix.storage.folder, ix.latest_generation(), searcher.reader().doc_count_all())
    cached = _facet_cache.get(key)
    if cached is None:
        size = searcher.reader().doc_count_all()
        columns = {f: [()] * size for f in FACET_FIELDS}
        columns["id"] = [None] * size
        for label in ("label_name", "label_org", "label_domains"):
            columns[label] = [frozenset()] * size
        for docnum, stored in searcher.reader().iter_docs():
            columns["id"][docnum] = stored["id"]
            for label in ("label_name", "label_org", "label_domains"):
                columns[label][docnum] = frozenset((stored.get(label) or "").split())
            for f in FACET_FIELDS:
                columns[f][docnum] = tuple(v for v in (stored.get(f) or "").split(",") if v)
        _facet_cache.clear()
        _facet_cache[key] = cached = columns
    return cached


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
    """Build a complete index in a new folder, switch to it, delete the old one; return documents."""
    with Session(read_only_engine()) as session:
        docs = _documents(session)
    old = _current_dir()
    directory = _new_dir()
    ix = _create_index(directory)
    writer = ix.writer(timeout=WRITER_TIMEOUT, procs=1, limitmb=128)
    for doc in docs:
        writer.add_document(**doc)
        if progress:
            progress(1)
    writer.commit()
    _switch_to(directory)
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


# ---- following the database ---------------------------------------------------------------------

PENDING = "search_pending_service_ids"


def _service_ids_of(obj) -> set[str]:
    if isinstance(obj, Service):
        return {obj.id}
    if isinstance(obj, Attribute):
        return {obj.link_id} if obj.link_entity == "service" else set()
    service_id = getattr(obj, "service_id", None)
    return {service_id} if service_id else set()


def _collect(session, _flush_context=None) -> None:
    # Only note ids here: loading relationships inside a flush event is not allowed.
    pending = session.info.setdefault(PENDING, {"services": set(), "organizations": set()})
    for obj in list(session.new) + list(session.dirty) + list(session.deleted):
        if isinstance(obj, Organization):
            pending["organizations"].add(obj.id)
        else:
            pending["services"] |= {i for i in _service_ids_of(obj) if i}


def _after_commit(session) -> None:
    pending = session.info.pop(PENDING, None)
    if not pending or not has_app_context() or not current_app.config.get("SEARCH_INDEX_ENABLED", True):
        return
    ids = set(pending["services"])
    try:
        if pending["organizations"]:
            with Session(read_only_engine()) as reader:
                ids |= set(
                    reader.scalars(sa.select(Service.id).where(Service.organization_id.in_(pending["organizations"])))
                )
        update_services(ids)
    except (LockError, OSError, index.IndexError) as exc:
        # The database change stands; the index is repaired by `flask catalog reindex`.
        log.error("Search index not updated for %d service(s): %s", len(ids), exc)
        mark_stale()


def _after_rollback(session) -> None:
    session.info.pop(PENDING, None)


def mark_stale() -> None:
    try:
        root().mkdir(mode=0o700, parents=True, exist_ok=True)
        (root() / "STALE").write_text(str(date.today()))
    except OSError:
        log.exception("could not mark the search index stale")


def is_stale() -> bool:
    return (root() / "STALE").exists()


def clear_stale() -> None:
    (root() / "STALE").unlink(missing_ok=True)


def install_session_hooks() -> None:
    """Follow the ORM session: collect on flush, write after commit, forget on rollback."""
    from sqlalchemy import event
    from sqlalchemy.orm import Session as OrmSession

    if getattr(install_session_hooks, "done", False):
        return
    # after_flush: new rows have their ids, and session.new/dirty/deleted still list what changed.
    event.listen(OrmSession, "after_flush", _collect)
    event.listen(OrmSession, "after_commit", _after_commit)
    event.listen(OrmSession, "after_soft_rollback", lambda s, _t: _after_rollback(s))
    install_session_hooks.done = True
