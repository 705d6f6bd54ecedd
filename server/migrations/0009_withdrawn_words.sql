-- The words of a withdrawn resource's last text: a text close enough to it coming back takes its
-- id again (see `store/identity.rs`), not only the same file or the very same words.
ALTER TABLE withdrawn_resources ADD COLUMN words TEXT NOT NULL DEFAULT '';
