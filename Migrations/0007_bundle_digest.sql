-- A digest of the whole bundle of charts last loaded, so that opening the database skips reading
-- the bundled charts when the build's bundle is the one already loaded.
CREATE TABLE bundle_state (
    id     INTEGER PRIMARY KEY CHECK (id = 1),
    digest TEXT NOT NULL
);
