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
    at          TEXT NOT NULL
);

-- Resources stored before: written now, so that a follower starting from the beginning gets them.
INSERT INTO changes (resource_id, change, at)
SELECT id, 'written', strftime('%Y-%m-%dT%H:%M:%SZ', 'now') FROM resources ORDER BY id;
