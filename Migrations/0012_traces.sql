-- Traces kept on request (`run --record`, `simulate --record`), so coverage and lit diagrams can use
-- runs made earlier. Each trace is keyed to the revision of every chart it visited: analysis of a
-- chart uses only the traces made with that chart's current revision.
CREATE TABLE traces (
    id          INTEGER PRIMARY KEY,
    chart_id    TEXT NOT NULL,                 -- the chart the run started
    revision    INTEGER NOT NULL,              -- that chart's revision
    revisions   TEXT NOT NULL,                 -- JSON: chart id -> revision, every chart the run visited
    source      TEXT NOT NULL CHECK (source IN ('run', 'simulate')),
    label       TEXT NOT NULL DEFAULT '',      -- the context file, or the scenario and event
    end_node    TEXT,                          -- null while waiting or after a failure
    path        TEXT NOT NULL,                 -- JSON list, the spec's path notation
    trace       TEXT NOT NULL,                 -- the whole trace (the trace contract's JSON)
    recorded_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX traces_by_chart ON traces (chart_id, revision);

-- One row per trace, readable with sqlite3.
CREATE VIEW trace_summary AS
    SELECT id, chart_id, revision, source, label, end_node, json_array_length(path) AS steps, recorded_at
    FROM traces ORDER BY id;
