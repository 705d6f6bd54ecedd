-- What a source's last successful sync said of its files that are not resources (skipped) or
-- were read with a remark: the network's quality report lists them.
CREATE TABLE source_remarks (
    source_id TEXT NOT NULL,
    position  INTEGER NOT NULL,
    path      TEXT NOT NULL,
    reason    TEXT NOT NULL,
    skipped   INTEGER NOT NULL,
    PRIMARY KEY (source_id, position)
) WITHOUT ROWID;
