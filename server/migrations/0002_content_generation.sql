-- A counter that every import changing the content moves on. The search index records the
-- generation it was built from, so the server can tell at start whether the index is in step.
CREATE TABLE content_generation (
    value INTEGER NOT NULL
);
INSERT INTO content_generation (value) VALUES (0);
