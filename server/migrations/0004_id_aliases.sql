-- Ids are forever: a partner may have pasted an id years ago. When a resource's id changes (the
-- slug rules spell a letter differently, a file is renamed…), its old id is kept here and keeps
-- resolving to it. A live resource's id is never an alias.

CREATE TABLE resource_aliases (
    alias       TEXT PRIMARY KEY,
    resource_id TEXT NOT NULL
) WITHOUT ROWID;

CREATE INDEX resource_aliases_target ON resource_aliases (resource_id);
