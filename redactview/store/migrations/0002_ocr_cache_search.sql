-- OCR results cached by what determines them, and a full-text index for search.

-- One row per OCR'd page. The key is the file's content (sha256), not a
-- release id, so re-adding or rescanning the same PDF never OCRs it again,
-- while a new Tesseract version, other languages or another dpi do.
CREATE TABLE ocr_pages (
    sha256         TEXT NOT NULL,
    page           INTEGER NOT NULL CHECK (page >= 1),
    engine_version TEXT NOT NULL,   -- e.g. "tesseract 5.3.0"
    languages      TEXT NOT NULL,   -- as given, e.g. "eng+spa" (order matters to Tesseract)
    dpi            INTEGER NOT NULL,
    rotation       INTEGER NOT NULL DEFAULT 0,  -- clockwise turn applied before reading
    words          TEXT NOT NULL,   -- JSON [[x0, y0, x1, y1, text, conf, block, line], ...]
    seconds        REAL NOT NULL DEFAULT 0,
    created_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    PRIMARY KEY (sha256, page, engine_version, languages, dpi)
);

-- The searchable text of each page of each release, from its text layer or OCR.
-- ``words`` keeps the word boxes in the same order as the words of the text,
-- which is how a hit is turned back into a position on the page.
CREATE TABLE search_pages (
    id         INTEGER PRIMARY KEY,
    release_id INTEGER NOT NULL REFERENCES releases(id) ON DELETE CASCADE,
    page       INTEGER NOT NULL CHECK (page >= 1),
    source     TEXT NOT NULL CHECK (source IN ('text', 'ocr', 'mixed')),
    words      TEXT NOT NULL,   -- JSON [[x0, y0, x1, y1], ...], one per word of the text
    UNIQUE (release_id, page)
);

-- Contentless-delete is not in every SQLite we meet, so the text is stored
-- here; rowid = search_pages.id.
CREATE VIRTUAL TABLE search_text USING fts5(
    text,
    tokenize = "unicode61 remove_diacritics 2"
);
