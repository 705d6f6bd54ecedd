-- Images of bodies on other hosts, served from the poster cache under a key (the first half of
-- the SHA-256 of their address), so that a visitor reading a fiche asks nothing of a third party.
-- Filled at every sync for every body it reads; a row is a few bytes and may outlive its fiche.
CREATE TABLE body_media (
    key        TEXT PRIMARY KEY,
    source_url TEXT NOT NULL
) WITHOUT ROWID;
