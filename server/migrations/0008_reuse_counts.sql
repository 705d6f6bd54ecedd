-- Reuse counts (README, « Ce qui est compté »): per day, how many times a resource was shown or
-- read in an element of a partner site. Daily totals only: no address, no browser, no identifier,
-- nothing that tells one visitor from another. `site` is a host name or '(local)' / '(inconnu)'.
-- `network` is the resource's network when counted, so that a network's figures stay its own.
CREATE TABLE reuse_counts (
    network  TEXT    NOT NULL,
    day      INTEGER NOT NULL, -- days since 1970-01-01 (UTC)
    resource TEXT    NOT NULL,
    site     TEXT    NOT NULL,
    element  TEXT    NOT NULL, -- card, search, testimonials
    event    TEXT    NOT NULL, -- display, read
    count    INTEGER NOT NULL,
    PRIMARY KEY (network, day, resource, site, element, event)
) WITHOUT ROWID;
CREATE INDEX reuse_counts_by_day ON reuse_counts (day);
