"""The journal's schema, as numbered migrations (sqlite-utils `Migrations`), each in a transaction.

Append new migrations at the end; never edit one that has shipped. The schema stays plain SQLite
(no extensions beyond FTS5) so the file opens in stock `sqlite3` and in Datasette.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from companion.journal.document_keys import repair_document_keys
from companion.journal.sites import reversed_site

__all__ = ["MIGRATIONS", "schema_version"]

MIGRATIONS = Migrations("inflow")


@MIGRATIONS(name="m001_initial")
def _m001_initial(db: Database) -> None:
    db.executescript(
        """
        CREATE TABLE documents (
            id INTEGER PRIMARY KEY,
            canonical_url TEXT NOT NULL UNIQUE,
            site TEXT NOT NULL,
            title TEXT NOT NULL DEFAULT '',
            text TEXT NOT NULL DEFAULT '',
            language TEXT,
            author TEXT,
            published TEXT,
            description TEXT,
            word_count INTEGER NOT NULL DEFAULT 0,
            reading_minutes REAL NOT NULL DEFAULT 0,
            page_types TEXT NOT NULL DEFAULT '[]',
            updated_at TEXT NOT NULL
        );

        CREATE TABLE captures (
            id TEXT PRIMARY KEY,
            url TEXT NOT NULL,
            site TEXT NOT NULL,
            title TEXT NOT NULL DEFAULT '',
            kind TEXT NOT NULL CHECK (kind IN ('page', 'video', 'audio')),
            started_at TEXT NOT NULL,
            ended_at TEXT,
            day TEXT NOT NULL,
            engaged_seconds REAL NOT NULL DEFAULT 0,
            scroll_depth REAL,
            search_query TEXT,
            media_duration REAL,
            media_watched_seconds REAL,
            media_channel TEXT,
            media_ended INTEGER,
            media_playback_rate REAL,
            status TEXT NOT NULL DEFAULT 'queued'
                CHECK (status IN ('queued', 'processing', 'processed', 'failed')),
            attempts INTEGER NOT NULL DEFAULT 0,
            error TEXT,
            received_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            processed_at TEXT,
            document_id INTEGER REFERENCES documents(id),
            is_learning INTEGER,
            learning_score REAL,
            reasons TEXT NOT NULL DEFAULT '[]',
            form TEXT,
            modality TEXT,
            source_kind TEXT,
            four_e TEXT,
            tags_corrected INTEGER NOT NULL DEFAULT 0,
            content_hash TEXT
        );
        CREATE INDEX captures_by_day ON captures (day, is_learning);
        CREATE INDEX captures_by_status ON captures (status, received_at);
        CREATE INDEX captures_by_site ON captures (site);
        CREATE INDEX captures_by_started ON captures (started_at);
        CREATE INDEX captures_by_document ON captures (document_id);

        -- The raw page a capture brought, waiting for the worker; removed once processed.
        CREATE TABLE inbox (
            capture_id TEXT PRIMARY KEY REFERENCES captures (id) ON DELETE CASCADE,
            html TEXT,
            text TEXT,
            transcript TEXT
        );

        CREATE TABLE concepts (
            id INTEGER PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,
            label TEXT NOT NULL,
            merged_into INTEGER REFERENCES concepts (id),
            created_at TEXT NOT NULL
        );

        CREATE TABLE capture_concepts (
            capture_id TEXT NOT NULL REFERENCES captures (id) ON DELETE CASCADE,
            concept_id INTEGER NOT NULL REFERENCES concepts (id),
            score REAL NOT NULL,
            rank INTEGER NOT NULL,
            PRIMARY KEY (capture_id, concept_id)
        ) WITHOUT ROWID;
        CREATE INDEX capture_concepts_by_concept ON capture_concepts (concept_id);

        -- What the user corrected by hand; these win over the tagger and teach it per site.
        CREATE TABLE tag_corrections (
            id INTEGER PRIMARY KEY,
            capture_id TEXT REFERENCES captures (id) ON DELETE SET NULL,
            site TEXT NOT NULL,
            is_learning INTEGER,
            form TEXT,
            modality TEXT,
            source_kind TEXT,
            four_e TEXT,
            created_at TEXT NOT NULL
        );
        CREATE INDEX tag_corrections_by_site ON tag_corrections (site);

        CREATE TABLE reflections (
            id INTEGER PRIMARY KEY,
            week TEXT NOT NULL,
            prompt TEXT NOT NULL,
            answer TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            UNIQUE (week, prompt)
        );

        -- Sites (host names) or URL prefixes the user never wants captured.
        CREATE TABLE deny_list (
            pattern TEXT PRIMARY KEY,
            created_at TEXT NOT NULL
        );

        -- Small facts the processes share: the worker's model and heartbeat.
        CREATE TABLE service_state (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );

        -- The questions the user searched, and the captures they led to.
        CREATE VIEW searches AS
            SELECT search_query AS query, day, min(started_at) AS first_seen,
                   count(*) AS captures
            FROM captures WHERE search_query IS NOT NULL AND search_query != ''
            GROUP BY search_query, day;
        """
    )
    db["documents"].enable_fts(["title", "text"], fts_version="FTS5", create_triggers=True)


@MIGRATIONS(name="m002_week")
def _m002_week(db: Database) -> None:
    # A reflection remembers which prompt it answers (`apply:17`), not only the prompt's words,
    # which change with the week's numbers.
    db.execute("ALTER TABLE reflections ADD COLUMN prompt_key TEXT")
    db.execute(
        """CREATE UNIQUE INDEX reflections_by_key ON reflections (week, prompt_key)
           WHERE prompt_key IS NOT NULL"""
    )
    # The week's and the trend's minutes read only learning captures' time, per day.
    db.execute(
        """CREATE INDEX captures_learning_time_by_day
           ON captures (day, engaged_seconds, media_watched_seconds) WHERE is_learning = 1"""
    )


@MIGRATIONS(name="m003_concept_history")
def _m003_concept_history(db: Database) -> None:
    # A thread's history (first seen, earlier captures) looks up every earlier capture of its
    # concept by id; only learning ones count, so a partial covering index answers without
    # reading the capture rows (the week with every thread: ~0.45 s -> ~0.2 s at 100k captures).
    # Captures enter it when analysed as learning, never at ingest.
    db.execute("CREATE INDEX captures_learning_by_id ON captures (id, day) WHERE is_learning = 1")


@MIGRATIONS(name="m004_document_keys")
def _m004_document_keys(db: Database) -> None:
    # Documents were keyed by the page's canonical claim as written: re-key, split and merge
    # them by `nlp.urls.document_url` (see `document_keys`); no capture is lost.
    repair_document_keys(db.conn, datetime.now(UTC).isoformat(timespec="milliseconds"))


@MIGRATIONS(name="m005_reflection_drafts")
def _m005_reflection_drafts(db: Database) -> None:
    # What the user is typing on the weekly page, autosaved before they press Save: kept in the
    # answer's own row, apart from the saved answer (a draft is never exported nor shown as a
    # past reflection). NULL = no unsaved change; a row that holds only a draft has answer ''.
    db.execute("ALTER TABLE reflections ADD COLUMN draft TEXT")
    db.execute("ALTER TABLE reflections ADD COLUMN draft_at TEXT")


@MIGRATIONS(name="m006_xapi")
def _m006_xapi(db: Database) -> None:
    # The user's curation of what may leave for a Learning Record Store: captures marked
    # private never do; what was sent (or found already there) is remembered per endpoint, so
    # the weekly page shows what was shared and a re-send skips it.
    db.executescript(
        """
        CREATE TABLE xapi_private (
            capture_id TEXT PRIMARY KEY REFERENCES captures (id) ON DELETE CASCADE,
            created_at TEXT NOT NULL
        );
        CREATE TABLE xapi_sent (
            statement_id TEXT NOT NULL,
            capture_id TEXT NOT NULL REFERENCES captures (id) ON DELETE CASCADE,
            endpoint TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('sent', 'already_there')),
            sent_at TEXT NOT NULL,
            PRIMARY KEY (statement_id, endpoint)
        );
        CREATE INDEX xapi_sent_by_capture ON xapi_sent (capture_id);
        """
    )


@MIGRATIONS(name="m007_search_at_scale")
def _m007_search_at_scale(db: Database) -> None:
    # A site filter keeps the site's subdomains too, a suffix match no index serves: each
    # capture also keeps its site reversed ("com.github.docs."), so a site and its subdomains
    # are one range of this index (see `sites`); ingest fills it from now on. The index holds
    # the document too, so a search within a site reads no capture row it does not show.
    db.execute("ALTER TABLE captures ADD COLUMN reversed_site TEXT")
    db.conn.create_function("inflow_reversed_site", 1, reversed_site, deterministic=True)
    db.execute("UPDATE captures SET reversed_site = inflow_reversed_site(site)")
    db.execute("CREATE INDEX captures_by_reversed_site ON captures (reversed_site, document_id)")
    # A search's count reads, for each hit, its captures and whether they are learning: the
    # index by document holds that flag, so the count never reads a capture's row ("about"
    # within learning only: 40 -> 2 ms at 100k).
    db.execute("DROP INDEX captures_by_document")
    db.execute("CREATE INDEX captures_by_document ON captures (document_id, is_learning)")
    # A concept filter names a concept by its key or its label in any case: the label too is
    # found by an index (a scan of 7,000 concepts, 0.5 ms, on every search before).
    db.execute("CREATE INDEX concepts_by_label ON concepts (label COLLATE NOCASE)")
    # The full-text index's terms, read in place (FTS5's own view, nothing stored): a search
    # looks up which terms its last word begins (see `search_text`). Read-only connections cannot
    # create it for themselves, hence here.
    db.execute("CREATE VIRTUAL TABLE documents_terms USING fts5vocab(documents_fts, row)")


@MIGRATIONS(name="m008_concept_aliases")
def _m008_concept_aliases(db: Database) -> None:
    # Other names of a concept (see `aliases`): an acronym a page defined ("llm"), a name with
    # its version ("python 3"), a concept the user merged away. One alias key may name several
    # concepts ("ml": machine learning, maximum likelihood), hence the pair as primary key; the
    # worker looks aliases up by key, forget and merge by concept. `seen` counts the analyses
    # that named it (a merge: 0). Only keys: never a URL nor a page's text.
    db.executescript(
        """
        CREATE TABLE concept_aliases (
            alias TEXT NOT NULL,
            concept_id INTEGER NOT NULL REFERENCES concepts (id) ON DELETE CASCADE,
            kind TEXT NOT NULL CHECK (kind IN ('acronym', 'version', 'merge')),
            seen INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            PRIMARY KEY (alias, concept_id)
        ) WITHOUT ROWID;
        CREATE INDEX concept_aliases_by_concept ON concept_aliases (concept_id);
        """
    )


def schema_version(db: Database) -> int:
    """Return how many of the journal's migrations have been applied."""
    return len(MIGRATIONS.applied(db))
