-- Charts, their nodes and edges, and which chart runs for a protocol + role + trigger.
-- A node's behaviour is text in the chart notation (the spec's own), so a person can read and
-- edit it with sqlite3.

CREATE TABLE charts (
    id          TEXT PRIMARY KEY CHECK (length(id) > 0 AND id NOT GLOB '*[ 	]*'),
    title       TEXT NOT NULL DEFAULT '',
    heading     TEXT NOT NULL DEFAULT '',
    protocol    TEXT NOT NULL CHECK (length(protocol) > 0),
    role        TEXT NOT NULL CHECK (length(role) > 0),
    trigger     TEXT NOT NULL CHECK (length(trigger) > 0),
    source      TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    args        TEXT NOT NULL DEFAULT '',
    revision    INTEGER NOT NULL DEFAULT 1 CHECK (revision >= 1),
    draft       INTEGER NOT NULL DEFAULT 0 CHECK (draft IN (0, 1)),
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

-- kind: decision (D), action (A), call (C), wait (W), end (E). body: the predicate, the action
-- calls, the chart call, the wait map, or the end outcome, in the chart notation.
CREATE TABLE nodes (
    chart_id TEXT NOT NULL REFERENCES charts(id) ON DELETE CASCADE ON UPDATE CASCADE,
    id       TEXT NOT NULL CHECK (id GLOB '[A-Z][0-9]*'),
    position INTEGER NOT NULL,
    kind     TEXT NOT NULL CHECK (kind IN ('decision', 'action', 'call', 'wait', 'end')),
    label    TEXT NOT NULL DEFAULT '',
    body     TEXT NOT NULL,
    PRIMARY KEY (chart_id, id)
);

-- to_node has no foreign key on purpose: an edge left dangling by a hand edit is kept so that
-- `l7flow validate` can name it.
CREATE TABLE edges (
    chart_id  TEXT NOT NULL,
    from_node TEXT NOT NULL,
    outcome   TEXT NOT NULL CHECK (outcome IN ('yes', 'no', 'next')),
    to_node   TEXT NOT NULL CHECK (length(to_node) > 0),
    position  INTEGER NOT NULL,
    PRIMARY KEY (chart_id, from_node, outcome),
    FOREIGN KEY (chart_id, from_node) REFERENCES nodes(chart_id, id) ON DELETE CASCADE ON UPDATE CASCADE
);

CREATE TABLE bindings (
    protocol TEXT NOT NULL,
    role     TEXT NOT NULL,
    trigger  TEXT NOT NULL,
    chart_id TEXT NOT NULL REFERENCES charts(id) ON DELETE CASCADE ON UPDATE CASCADE,
    PRIMARY KEY (protocol, role, trigger)
);

CREATE INDEX nodes_by_chart ON nodes(chart_id, position);
CREATE INDEX edges_by_chart ON edges(chart_id, position);
