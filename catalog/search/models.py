"""Search models: the thesaurus staff edit, the anonymous search log, staff pins and the
change feed every node's search index follows."""

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from catalog.models import ID
from welfare.database import utcnow
from welfare.extensions import db


class SynonymGroup(db.Model):
    """Words and phrases that mean the same to a searcher ("CSD" = "center za socialno delo")."""

    __tablename__ = "catalog_synonym_group"

    id: Mapped[int] = mapped_column(primary_key=True)
    terms: Mapped[str] = mapped_column(sa.Text)  # one word or phrase per line
    note: Mapped[str] = mapped_column(sa.String(200), default="")
    updated_by: Mapped[str] = mapped_column(sa.String(64), default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    @property
    def term_list(self) -> list[str]:
        return [t.strip() for t in self.terms.splitlines() if t.strip()]


class SearchLog(db.Model):
    """One public search, kept anonymously: no IP, no user, no cookie id. `visitor` is an
    unlinkable per-day tag (catalog.learning.services.visitor_tag) so demand figures can count
    visitors, not requests; it goes with the row at retention."""

    __tablename__ = "catalog_search_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    query: Mapped[str] = mapped_column(sa.String(200))
    query_key: Mapped[str] = mapped_column(sa.String(200), index=True)  # folded, normalized
    filters: Mapped[str] = mapped_column(sa.String(500), default="")
    result_count: Mapped[int] = mapped_column(default=0)
    opened_service_id: Mapped[str | None] = mapped_column(ID, index=True)
    opened_at: Mapped[datetime | None]
    # Random, given when the search is queued (before the row exists): the results page links
    # opens to it, so an open can be recorded whether or not the row has been written yet.
    # Last, as the migration adds it: the PostgreSQL tests copy tables column by column.
    token: Mapped[str | None] = mapped_column(sa.String(32), unique=True)
    # Keyed hash of the UTC day and the client address: tells visitors apart within one day
    # only. Empty on rows logged before it existed. Last, like token: added by a migration.
    visitor: Mapped[str | None] = mapped_column(sa.String(16))


class SearchPin(db.Model):
    """Staff decision: for this query, show this service first."""

    __tablename__ = "catalog_search_pin"
    __table_args__ = (sa.UniqueConstraint("query_key", "service_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    query_key: Mapped[str] = mapped_column(sa.String(200), index=True)
    service_id: Mapped[str] = mapped_column(sa.ForeignKey("service.id", ondelete="CASCADE"))
    created_by: Mapped[str] = mapped_column(sa.String(64), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SearchQueryCount(db.Model):
    """What remains of old searches once their raw rows are pruned: counts per normalised query
    and day, only for queries seen at least the trend reports' k times."""

    __tablename__ = "catalog_search_query_count"

    query_key: Mapped[str] = mapped_column(sa.String(200), primary_key=True)
    day: Mapped[date] = mapped_column(primary_key=True)
    example: Mapped[str] = mapped_column(sa.String(200))  # as typed (scrubbed), for the insights page
    searches: Mapped[int] = mapped_column(default=0)
    zero_results: Mapped[int] = mapped_column(default=0)
    with_results: Mapped[int] = mapped_column(default=0)
    opened: Mapped[int] = mapped_column(default=0)


class SearchIndexChange(db.Model):
    """A service whose indexed document may have changed, written in the transaction that
    changed it. Every node's search index follows this table (catalog/search/index_sync.py), so a
    change saved through one app server reaches the indexes of all the others. A row without a
    service id asks every node to rebuild its whole index (a bulk import)."""

    __tablename__ = "search_index_change"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    service_id: Mapped[str | None] = mapped_column(ID)
    changed_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class DomainPhrase(db.Model):
    """An everyday word or phrase residents use for a life domain ("tepe me" for violence): the
    "use references" of a taxonomy term. Matched against queries at search time, so an edit
    takes effect without a reindex."""

    __tablename__ = "catalog_domain_phrase"
    __table_args__ = (sa.UniqueConstraint("term_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    term_id: Mapped[str] = mapped_column(sa.ForeignKey("taxonomy_term.id", ondelete="CASCADE"), index=True)
    phrase: Mapped[str] = mapped_column(sa.String(200))
    key: Mapped[str] = mapped_column(sa.String(200))  # folded lemmas of its words, space-separated
    source: Mapped[str] = mapped_column(sa.String(10), default="staff")  # seed | staff | learned
    created_by: Mapped[str] = mapped_column(sa.String(64), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
