-- Every change to a chart, made through l7flow or straight through sqlite3, is logged and moves
-- the chart's revision. l7flow marks its own writes by opening a batch in edit_context: the
-- whole batch becomes one revision. A change made outside a batch (plain SQL) is a revision of
-- its own, one per row changed.

CREATE TABLE edit_context (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    via   TEXT NOT NULL DEFAULT 'sql' CHECK (via IN ('sql', 'cli')),
    batch INTEGER
);
INSERT INTO edit_context (id, via, batch) VALUES (1, 'sql', NULL);

CREATE TABLE changes (
    seq      INTEGER PRIMARY KEY AUTOINCREMENT,
    chart_id TEXT NOT NULL,
    revision INTEGER NOT NULL,
    at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    via      TEXT NOT NULL,
    what     TEXT NOT NULL,
    node_id  TEXT,
    old      TEXT,
    new      TEXT
);
CREATE INDEX changes_by_chart ON changes(chart_id, revision);

-- Outside a batch: bump the revision, then log with the new one.
-- Inside a batch: log with revision + batch (1 for a chart that exists, 0 for a new one); the
-- store bumps the revision once when the batch closes.

CREATE TRIGGER node_added AFTER INSERT ON nodes BEGIN
    UPDATE charts SET revision = revision + 1, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
        WHERE id = NEW.chart_id AND (SELECT batch FROM edit_context) IS NULL;
    INSERT INTO changes (chart_id, revision, via, what, node_id, new)
        SELECT NEW.chart_id, revision + coalesce((SELECT batch FROM edit_context), 0), (SELECT via FROM edit_context),
               'node added', NEW.id, NEW.kind || ' "' || NEW.label || '" ' || NEW.body
        FROM charts WHERE id = NEW.chart_id;
END;

CREATE TRIGGER node_changed AFTER UPDATE ON nodes
WHEN OLD.kind IS NOT NEW.kind OR OLD.label IS NOT NEW.label OR OLD.body IS NOT NEW.body OR OLD.id IS NOT NEW.id
BEGIN
    UPDATE charts SET revision = revision + 1, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
        WHERE id = NEW.chart_id AND (SELECT batch FROM edit_context) IS NULL;
    INSERT INTO changes (chart_id, revision, via, what, node_id, old, new)
        SELECT NEW.chart_id, revision + coalesce((SELECT batch FROM edit_context), 0), (SELECT via FROM edit_context),
               'node changed', NEW.id,
               OLD.id || ' ' || OLD.kind || ' "' || OLD.label || '" ' || OLD.body,
               NEW.id || ' ' || NEW.kind || ' "' || NEW.label || '" ' || NEW.body
        FROM charts WHERE id = NEW.chart_id;
END;

CREATE TRIGGER node_removed AFTER DELETE ON nodes BEGIN
    UPDATE charts SET revision = revision + 1, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
        WHERE id = OLD.chart_id AND (SELECT batch FROM edit_context) IS NULL;
    INSERT INTO changes (chart_id, revision, via, what, node_id, old)
        SELECT OLD.chart_id, revision + coalesce((SELECT batch FROM edit_context), 0), (SELECT via FROM edit_context),
               'node removed', OLD.id, OLD.kind || ' "' || OLD.label || '" ' || OLD.body
        FROM charts WHERE id = OLD.chart_id;
END;

CREATE TRIGGER edge_added AFTER INSERT ON edges BEGIN
    UPDATE charts SET revision = revision + 1, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
        WHERE id = NEW.chart_id AND (SELECT batch FROM edit_context) IS NULL;
    INSERT INTO changes (chart_id, revision, via, what, node_id, new)
        SELECT NEW.chart_id, revision + coalesce((SELECT batch FROM edit_context), 0), (SELECT via FROM edit_context),
               'edge added', NEW.from_node, NEW.outcome || ' -> ' || NEW.to_node
        FROM charts WHERE id = NEW.chart_id;
END;

CREATE TRIGGER edge_changed AFTER UPDATE ON edges
WHEN OLD.to_node IS NOT NEW.to_node OR OLD.outcome IS NOT NEW.outcome OR OLD.from_node IS NOT NEW.from_node
BEGIN
    UPDATE charts SET revision = revision + 1, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
        WHERE id = NEW.chart_id AND (SELECT batch FROM edit_context) IS NULL;
    INSERT INTO changes (chart_id, revision, via, what, node_id, old, new)
        SELECT NEW.chart_id, revision + coalesce((SELECT batch FROM edit_context), 0), (SELECT via FROM edit_context),
               'edge changed', NEW.from_node, OLD.outcome || ' -> ' || OLD.to_node, NEW.outcome || ' -> ' || NEW.to_node
        FROM charts WHERE id = NEW.chart_id;
END;

CREATE TRIGGER edge_removed AFTER DELETE ON edges BEGIN
    UPDATE charts SET revision = revision + 1, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
        WHERE id = OLD.chart_id AND (SELECT batch FROM edit_context) IS NULL;
    INSERT INTO changes (chart_id, revision, via, what, node_id, old)
        SELECT OLD.chart_id, revision + coalesce((SELECT batch FROM edit_context), 0), (SELECT via FROM edit_context),
               'edge removed', OLD.from_node, OLD.outcome || ' -> ' || OLD.to_node
        FROM charts WHERE id = OLD.chart_id;
END;

-- Header changes (not the revision bookkeeping itself).
CREATE TRIGGER chart_changed AFTER UPDATE ON charts
WHEN OLD.title IS NOT NEW.title OR OLD.heading IS NOT NEW.heading OR OLD.protocol IS NOT NEW.protocol
  OR OLD.role IS NOT NEW.role OR OLD.trigger IS NOT NEW.trigger OR OLD.source IS NOT NEW.source
  OR OLD.description IS NOT NEW.description OR OLD.args IS NOT NEW.args OR OLD.draft IS NOT NEW.draft
BEGIN
    UPDATE charts SET revision = revision + 1, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
        WHERE id = NEW.id AND (SELECT batch FROM edit_context) IS NULL;
    INSERT INTO changes (chart_id, revision, via, what, old, new)
        SELECT NEW.id, revision + coalesce((SELECT batch FROM edit_context), 0), (SELECT via FROM edit_context),
               'chart changed',
               json_object('title', OLD.title, 'protocol', OLD.protocol, 'role', OLD.role, 'trigger', OLD.trigger, 'args', OLD.args, 'draft', OLD.draft),
               json_object('title', NEW.title, 'protocol', NEW.protocol, 'role', NEW.role, 'trigger', NEW.trigger, 'args', NEW.args, 'draft', NEW.draft)
        FROM charts WHERE id = NEW.id;
END;

CREATE TRIGGER chart_added AFTER INSERT ON charts BEGIN
    INSERT INTO changes (chart_id, revision, via, what, new)
        VALUES (NEW.id, NEW.revision, (SELECT via FROM edit_context), 'chart added', NEW.title);
END;

CREATE TRIGGER chart_removed AFTER DELETE ON charts BEGIN
    INSERT INTO changes (chart_id, revision, via, what, old)
        VALUES (OLD.id, OLD.revision, (SELECT via FROM edit_context), 'chart removed', OLD.title);
END;
