"""The journal: the one owner of all SQL. One SQLite file, WAL, numbered migrations, FTS5.

Modules by job: `core` (connections, the serialised writer), `migrations` (the schema),
`captures` (accept, merge, read), `search` (list, full-text search), `search_text` (what was
typed as an FTS5 query; snippets), `search_index` (the full-text index's upkeep), `sites` (a
site and its subdomains as one index range), `export` (every capture, streamed), `forget`
(delete, forget a site, the deny list), `document_keys` (the repair of m004), `processing` (the
worker's side), `corrections` (the user's word over the tagger), `today` (the popup's summary),
`tag_vocabulary` (the learning tags' labels, for the week and today), `readonly` (the journal
opened only to read it, for the command line's reports).
"""

from companion.journal.core import Journal, utc_now
from companion.journal.readonly import ReadOnlyJournal

__all__ = ["Journal", "ReadOnlyJournal", "utc_now"]
