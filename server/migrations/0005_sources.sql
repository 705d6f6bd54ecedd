-- Sources the server follows, the files each resource was read from, and the resources their
-- networks withdrew.

-- One row per source of the sources file that was ever synced: what its last sync did.
CREATE TABLE sources (
    id             TEXT PRIMARY KEY,
    kind           TEXT NOT NULL,
    url            TEXT NOT NULL,
    -- The commit (git) read by the last successful sync; NULL for folders, read every time.
    revision       TEXT,
    -- The importer that read it: a new one reads an unchanged commit again.
    reader         TEXT,
    last_attempt   TEXT,
    last_success   TEXT,
    duration_ms    INTEGER,
    last_error     TEXT,
    resource_count INTEGER NOT NULL DEFAULT 0,
    skipped_count  INTEGER NOT NULL DEFAULT 0
);

-- One row per file a resource was read from. A fiche kept in two folders, or two repositories,
-- is one resource with two files; the first file still there is what the resource shows.
CREATE TABLE resource_files (
    source_key   TEXT PRIMARY KEY,
    source_id    TEXT NOT NULL,
    resource_id  TEXT NOT NULL,
    -- Arrival order: the resource shows its earliest file.
    position     INTEGER NOT NULL,
    content_hash TEXT NOT NULL,
    -- Equal fingerprints: the same title and words (see store/identity.rs).
    fingerprint  TEXT NOT NULL,
    -- The resource as this file reads (JSON); NULL for rows carried over from before sources
    -- were followed, until the next sync rewrites them.
    record_json  TEXT
);
CREATE INDEX resource_files_source ON resource_files (source_id);
CREATE INDEX resource_files_resource ON resource_files (resource_id, position);
CREATE INDEX resource_files_fingerprint ON resource_files (fingerprint);

-- Rows imported before: `owner/repo/path` belonged to the source `owner-repo`. An empty hash
-- makes the next sync read them again, and fill in what this table now keeps.
INSERT INTO resource_files (source_key, source_id, resource_id, position, content_hash, fingerprint)
SELECT source_key,
       lower(replace(substr(source_key, 1, instr(source_key, '/') - 1) || '-' ||
             substr(substr(source_key, instr(source_key, '/') + 1), 1,
                    instr(substr(source_key, instr(source_key, '/') + 1), '/') - 1), '_', '-')),
       id, rowid, '', ''
FROM resources;

-- An id whose resource its network took away: it answers 410 Gone, and is never given to another
-- resource. The same file (or the same text) coming back takes it again.
CREATE TABLE withdrawn_resources (
    id           TEXT PRIMARY KEY,
    source_key   TEXT NOT NULL,
    fingerprint  TEXT NOT NULL,
    title        TEXT NOT NULL,
    withdrawn_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX withdrawn_source_key ON withdrawn_resources (source_key);


-- A sync replaces resources one by one: deleting one must find its tags without a table scan.
CREATE INDEX resource_tags_resource ON resource_tags (resource_id);
