-- Which bundled version each chart was last loaded from (a digest of its canonical text), so a
-- newer l7flow can bring the charts nobody has edited up to date and leave edited ones alone.
CREATE TABLE bundled_versions (
    chart_id TEXT PRIMARY KEY,
    digest   TEXT NOT NULL
);
