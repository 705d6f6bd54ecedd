-- The commons as the server stores it: networks, and the resources they publish.
-- JSON columns hold lists and the licence exactly as the contract crate shapes them, because they
-- are only ever read whole; tags also get their own table so that `?tag=` filters use an index.

CREATE TABLE networks (
    id   TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    url  TEXT
);

CREATE TABLE resources (
    id           TEXT PRIMARY KEY,
    -- owner/repo/path of the file it was imported from: the key of re-imports (upsert by source).
    source_key   TEXT NOT NULL UNIQUE,
    network_id   TEXT NOT NULL REFERENCES networks(id),
    kind         TEXT NOT NULL CHECK (kind IN ('fiche', 'temoignage', 'video')),
    title        TEXT NOT NULL,
    summary      TEXT NOT NULL DEFAULT '',
    body_html    TEXT NOT NULL DEFAULT '',
    image_json   TEXT,
    authors_json TEXT NOT NULL DEFAULT '[]',
    tags_json    TEXT NOT NULL DEFAULT '[]',
    licence_json TEXT NOT NULL,
    source_url   TEXT NOT NULL,
    lang         TEXT NOT NULL DEFAULT 'fr',
    updated      TEXT,
    -- sha-256 of the source file, so a re-import can tell "unchanged" from "updated".
    content_hash TEXT NOT NULL
);

CREATE INDEX resources_network ON resources (network_id, id);
CREATE INDEX resources_kind ON resources (kind, id);

CREATE TABLE resource_tags (
    resource_id TEXT NOT NULL REFERENCES resources(id) ON DELETE CASCADE,
    tag         TEXT NOT NULL,
    PRIMARY KEY (tag, resource_id)
) WITHOUT ROWID;
