-- Filmed testimonies: the video of a resource of kind `video`, its captions, and the posters the
-- server fetched once from the video hosts (so that visitors' browsers never have to).

CREATE TABLE videos (
    resource_id      TEXT PRIMARY KEY REFERENCES resources(id) ON DELETE CASCADE,
    provider         TEXT NOT NULL CHECK (provider IN ('vimeo', 'youtube', 'peertube', 'file')),
    host_name        TEXT NOT NULL,
    embed_url        TEXT NOT NULL,
    -- Where the poster comes from; NULL when the source gives none (a placeholder is drawn).
    poster_source    TEXT,
    duration_seconds INTEGER,
    quote            TEXT,
    transcript       TEXT
) WITHOUT ROWID;

CREATE TABLE captions (
    resource_id TEXT NOT NULL REFERENCES resources(id) ON DELETE CASCADE,
    lang        TEXT NOT NULL,
    label       TEXT NOT NULL,
    vtt         TEXT NOT NULL,
    PRIMARY KEY (resource_id, lang)
) WITHOUT ROWID;

-- One row per source URL ever tried: the resized JPEG, or why there is none. Never fetched twice.
CREATE TABLE posters (
    source_url TEXT PRIMARY KEY,
    fetched_at TEXT NOT NULL,
    jpeg       BLOB,
    width      INTEGER,
    height     INTEGER,
    failure    TEXT,
    CHECK ((jpeg IS NULL) <> (failure IS NULL))
) WITHOUT ROWID;
