-- The first case-file schema. Never edit a released migration: add a new file.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE releases (
    id             INTEGER PRIMARY KEY,
    path           TEXT NOT NULL,
    sha256         TEXT NOT NULL UNIQUE,
    page_count     INTEGER NOT NULL CHECK (page_count >= 0),
    label          TEXT NOT NULL DEFAULT '',
    agency         TEXT NOT NULL DEFAULT '',
    request_number TEXT NOT NULL DEFAULT '',
    release_date   TEXT NOT NULL DEFAULT '',
    bates_prefix   TEXT NOT NULL DEFAULT '',
    added_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

CREATE TABLE pages (
    release_id     INTEGER NOT NULL REFERENCES releases(id) ON DELETE CASCADE,
    page           INTEGER NOT NULL CHECK (page >= 1),
    width          REAL NOT NULL,
    height         REAL NOT NULL,
    rotation       INTEGER NOT NULL DEFAULT 0,
    text_status    TEXT NOT NULL,
    char_count     INTEGER NOT NULL DEFAULT 0,
    image_coverage REAL NOT NULL DEFAULT 0,
    detected_at    TEXT,             -- set when detection finished this page (resumable scans)
    PRIMARY KEY (release_id, page)
);

-- Words from the text layer ("text") or from OCR ("ocr"), per release page.
CREATE TABLE words (
    id         INTEGER PRIMARY KEY,
    release_id INTEGER NOT NULL REFERENCES releases(id) ON DELETE CASCADE,
    page       INTEGER NOT NULL,
    x0 REAL NOT NULL, y0 REAL NOT NULL, x1 REAL NOT NULL, y1 REAL NOT NULL,
    text       TEXT NOT NULL,
    conf       REAL NOT NULL DEFAULT 100,
    block      INTEGER NOT NULL DEFAULT 0,
    line       INTEGER NOT NULL DEFAULT 0,
    source     TEXT NOT NULL CHECK (source IN ('text', 'ocr'))
);
CREATE INDEX words_by_page ON words (release_id, page);

-- Redactions found by detection or drawn by the user. Ids are stable across
-- rescans (see core.model.make_redaction_id) so annotations stay attached.
CREATE TABLE redactions (
    id             TEXT PRIMARY KEY,
    release_id     INTEGER NOT NULL REFERENCES releases(id) ON DELETE CASCADE,
    page           INTEGER NOT NULL CHECK (page >= 1),
    x0 REAL NOT NULL, y0 REAL NOT NULL, x1 REAL NOT NULL, y1 REAL NOT NULL,
    kind           TEXT NOT NULL CHECK (kind IN ('raster', 'vector', 'annotation', 'manual')),
    fill           TEXT NOT NULL CHECK (fill IN ('black', 'grey', 'white', 'other')),
    exemptions     TEXT NOT NULL DEFAULT '[]',   -- JSON list of canonical codes
    label          TEXT NOT NULL DEFAULT '',
    confidence     REAL NOT NULL DEFAULT 1,
    context_before TEXT NOT NULL DEFAULT '',
    context_after  TEXT NOT NULL DEFAULT '',
    est_lo         INTEGER,
    est_hi         INTEGER,
    text_under     TEXT,
    grp            TEXT,
    deleted        INTEGER NOT NULL DEFAULT 0   -- user deleted it; kept so undo and annotations survive
);
CREATE INDEX redactions_by_page ON redactions (release_id, page);

-- What the user says about a redaction. Deliberately NOT a foreign key with
-- cascade: an annotation outlives a rescan, a missing file or a deleted box.
CREATE TABLE annotations (
    redaction_id  TEXT PRIMARY KEY,
    status        TEXT NOT NULL DEFAULT 'unreviewed'
                  CHECK (status IN ('unreviewed', 'confirmed', 'false_positive')),
    note          TEXT NOT NULL DEFAULT '',
    guess         TEXT NOT NULL DEFAULT '',
    justification TEXT NOT NULL DEFAULT '',
    updated_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

CREATE TABLE tags (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE
);

CREATE TABLE redaction_tags (
    redaction_id TEXT NOT NULL,
    tag_id       INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
    PRIMARY KEY (redaction_id, tag_id)
);

-- Cross-release links between redactions (or a redaction and revealed text).
CREATE TABLE links (
    id            INTEGER PRIMARY KEY,
    a_release_id  INTEGER NOT NULL REFERENCES releases(id) ON DELETE CASCADE,
    b_release_id  INTEGER NOT NULL REFERENCES releases(id) ON DELETE CASCADE,
    status        TEXT NOT NULL CHECK (status IN ('both', 'revealed', 'new', 'unmatched')),
    a_page INTEGER, a_x0 REAL, a_y0 REAL, a_x1 REAL, a_y1 REAL, a_redaction_id TEXT,
    b_page INTEGER, b_x0 REAL, b_y0 REAL, b_x1 REAL, b_y1 REAL, b_redaction_id TEXT,
    revealed_text TEXT,
    exemptions_a  TEXT NOT NULL DEFAULT '[]',
    exemptions_b  TEXT NOT NULL DEFAULT '[]',
    confidence    REAL NOT NULL DEFAULT 1,
    user_set      INTEGER NOT NULL DEFAULT 0   -- confirmed/added by hand: a re-link keeps it
);
CREATE INDEX links_by_pair ON links (a_release_id, b_release_id);

-- Leak findings: content still in the file under or behind a redaction.
CREATE TABLE findings (
    id           INTEGER PRIMARY KEY,
    release_id   INTEGER NOT NULL REFERENCES releases(id) ON DELETE CASCADE,
    page         INTEGER NOT NULL,
    x0 REAL, y0 REAL, x1 REAL, y1 REAL,
    mechanism    TEXT NOT NULL,
    text         TEXT NOT NULL DEFAULT '',
    confidence   REAL NOT NULL DEFAULT 1,
    redaction_id TEXT,
    image_png    BLOB
);
CREATE INDEX findings_by_release ON findings (release_id, page);
