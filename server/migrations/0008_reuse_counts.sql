-- Reuse counts (README, « Ce qui est compté »): per day, how many times a resource was shown or
-- read in an element of a partner site. Daily totals only: no address, no browser, no identifier,
-- nothing that tells one visitor from another. `site` is a host name or '(local)' / '(inconnu)'.
-- `network` is the resource's network when counted, so that a network's figures stay its own.
-- Networks, resources and sites are written once in `reuse_names` and counted by number: a row
-- then weighs a third of what it would with the names in it (BENCHMARKS.md).
CREATE TABLE reuse_names (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);
CREATE TABLE reuse_counts (
    network  INTEGER NOT NULL, -- reuse_names
    day      INTEGER NOT NULL, -- days since 1970-01-01 (UTC)
    resource INTEGER NOT NULL, -- reuse_names
    site     INTEGER NOT NULL, -- reuse_names
    what     INTEGER NOT NULL, -- element × 2 + event: card 0, search 1, testimonials 2; display 0, read 1
    count    INTEGER NOT NULL,
    -- A network's report reads one range of it. No second index: it would double the table's
    -- size, for the whole commons' report only, which reads it all.
    PRIMARY KEY (network, day, resource, site, what)
) WITHOUT ROWID;
