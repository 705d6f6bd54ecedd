-- The last change of each resource, in the order they happened: what a feed of new and updated
-- resources, the sitemap's dates and another server following this one read. `seq` only grows:
-- it is the followers' cursor. One row per resource (its latest change), so the table stays the
-- size of the commons however long the server runs.
CREATE TABLE changes (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    resource_id TEXT NOT NULL UNIQUE,
    -- `written` (new, edited, moved), `withdrawn` (by its network), `merged` (now `merged_into`).
    change      TEXT NOT NULL CHECK (change IN ('written', 'withdrawn', 'merged')),
    merged_into TEXT,
    -- The source of the resource's first file (for `withdrawn`: the source that withdrew it);
    -- another server following this one is given only what its own sources hold.
    source_id   TEXT NOT NULL,
    at          TEXT NOT NULL
);

-- Resources stored before: written now, so that a follower starting from the beginning gets them.
INSERT INTO changes (resource_id, change, source_id, at)
SELECT r.id, 'written',
       coalesce((SELECT f.source_id FROM resource_files f WHERE f.resource_id = r.id ORDER BY f.position LIMIT 1), ''),
       strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
FROM resources r ORDER BY r.id;
