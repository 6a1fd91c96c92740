-- The JSON snapshot of a chart, written once as a view, instead of the same expression pasted
-- into every trigger of 0004 and 0005 (and into l7flow's own code). The triggers that record a
-- revision made through SQL are recreated to read it; they are otherwise unchanged.

CREATE VIEW chart_snapshot AS
SELECT c.id AS chart_id, json_object(
    'header', json_object('title', c.title, 'heading', c.heading, 'protocol', c.protocol, 'role', c.role, 'trigger', c.trigger,
                          'source', c.source, 'description', c.description, 'args', c.args, 'draft', c.draft),
    'nodes', json((SELECT json_group_array(json_object('id', id, 'kind', kind, 'label', label, 'body', body))
              FROM (SELECT * FROM nodes WHERE chart_id = c.id ORDER BY position))),
    'edges', json((SELECT json_group_array(json_object('from', from_node, 'outcome', outcome, 'to', to_node))
              FROM (SELECT * FROM edges WHERE chart_id = c.id ORDER BY position)))) AS snapshot
FROM charts c;

DROP TRIGGER node_added;
CREATE TRIGGER node_added AFTER INSERT ON nodes BEGIN
    UPDATE charts SET revision = revision + 1, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
        WHERE id = NEW.chart_id AND (SELECT batch FROM edit_context) IS NULL;
    INSERT INTO changes (chart_id, revision, via, what, node_id, new)
        SELECT NEW.chart_id, revision + coalesce((SELECT batch FROM edit_context), 0), (SELECT via FROM edit_context),
               'node added', NEW.id, NEW.kind || ' "' || NEW.label || '" ' || NEW.body
        FROM charts WHERE id = NEW.chart_id;
    INSERT OR REPLACE INTO chart_revisions (chart_id, revision, via, snapshot)
        SELECT c.id, c.revision, 'sql', s.snapshot FROM charts c JOIN chart_snapshot s ON s.chart_id = c.id
        WHERE c.id = NEW.chart_id AND (SELECT batch FROM edit_context) IS NULL;
END;

DROP TRIGGER node_changed;
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
    INSERT OR REPLACE INTO chart_revisions (chart_id, revision, via, snapshot)
        SELECT c.id, c.revision, 'sql', s.snapshot FROM charts c JOIN chart_snapshot s ON s.chart_id = c.id
        WHERE c.id = NEW.chart_id AND (SELECT batch FROM edit_context) IS NULL;
END;

DROP TRIGGER node_removed;
CREATE TRIGGER node_removed AFTER DELETE ON nodes BEGIN
    UPDATE charts SET revision = revision + 1, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
        WHERE id = OLD.chart_id AND (SELECT batch FROM edit_context) IS NULL;
    INSERT INTO changes (chart_id, revision, via, what, node_id, old)
        SELECT OLD.chart_id, revision + coalesce((SELECT batch FROM edit_context), 0), (SELECT via FROM edit_context),
               'node removed', OLD.id, OLD.kind || ' "' || OLD.label || '" ' || OLD.body
        FROM charts WHERE id = OLD.chart_id;
    INSERT OR REPLACE INTO chart_revisions (chart_id, revision, via, snapshot)
        SELECT c.id, c.revision, 'sql', s.snapshot FROM charts c JOIN chart_snapshot s ON s.chart_id = c.id
        WHERE c.id = OLD.chart_id AND (SELECT batch FROM edit_context) IS NULL;
END;

DROP TRIGGER edge_added;
CREATE TRIGGER edge_added AFTER INSERT ON edges BEGIN
    UPDATE charts SET revision = revision + 1, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
        WHERE id = NEW.chart_id AND (SELECT batch FROM edit_context) IS NULL;
    INSERT INTO changes (chart_id, revision, via, what, node_id, new)
        SELECT NEW.chart_id, revision + coalesce((SELECT batch FROM edit_context), 0), (SELECT via FROM edit_context),
               'edge added', NEW.from_node, NEW.outcome || ' -> ' || NEW.to_node
        FROM charts WHERE id = NEW.chart_id;
    INSERT OR REPLACE INTO chart_revisions (chart_id, revision, via, snapshot)
        SELECT c.id, c.revision, 'sql', s.snapshot FROM charts c JOIN chart_snapshot s ON s.chart_id = c.id
        WHERE c.id = NEW.chart_id AND (SELECT batch FROM edit_context) IS NULL;
END;

DROP TRIGGER edge_changed;
CREATE TRIGGER edge_changed AFTER UPDATE ON edges
WHEN OLD.to_node IS NOT NEW.to_node OR OLD.outcome IS NOT NEW.outcome OR OLD.from_node IS NOT NEW.from_node
BEGIN
    UPDATE charts SET revision = revision + 1, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
        WHERE id = NEW.chart_id AND (SELECT batch FROM edit_context) IS NULL;
    INSERT INTO changes (chart_id, revision, via, what, node_id, old, new)
        SELECT NEW.chart_id, revision + coalesce((SELECT batch FROM edit_context), 0), (SELECT via FROM edit_context),
               'edge changed', NEW.from_node, OLD.outcome || ' -> ' || OLD.to_node, NEW.outcome || ' -> ' || NEW.to_node
        FROM charts WHERE id = NEW.chart_id;
    INSERT OR REPLACE INTO chart_revisions (chart_id, revision, via, snapshot)
        SELECT c.id, c.revision, 'sql', s.snapshot FROM charts c JOIN chart_snapshot s ON s.chart_id = c.id
        WHERE c.id = NEW.chart_id AND (SELECT batch FROM edit_context) IS NULL;
END;

DROP TRIGGER edge_removed;
CREATE TRIGGER edge_removed AFTER DELETE ON edges BEGIN
    UPDATE charts SET revision = revision + 1, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
        WHERE id = OLD.chart_id AND (SELECT batch FROM edit_context) IS NULL;
    INSERT INTO changes (chart_id, revision, via, what, node_id, old)
        SELECT OLD.chart_id, revision + coalesce((SELECT batch FROM edit_context), 0), (SELECT via FROM edit_context),
               'edge removed', OLD.from_node, OLD.outcome || ' -> ' || OLD.to_node
        FROM charts WHERE id = OLD.chart_id;
    INSERT OR REPLACE INTO chart_revisions (chart_id, revision, via, snapshot)
        SELECT c.id, c.revision, 'sql', s.snapshot FROM charts c JOIN chart_snapshot s ON s.chart_id = c.id
        WHERE c.id = OLD.chart_id AND (SELECT batch FROM edit_context) IS NULL;
END;

DROP TRIGGER chart_changed;
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
    INSERT OR REPLACE INTO chart_revisions (chart_id, revision, via, snapshot)
        SELECT c.id, c.revision, 'sql', s.snapshot FROM charts c JOIN chart_snapshot s ON s.chart_id = c.id
        WHERE c.id = NEW.id AND (SELECT batch FROM edit_context) IS NULL;
END;

DROP TRIGGER chart_added;
CREATE TRIGGER chart_added AFTER INSERT ON charts BEGIN
    UPDATE charts SET revision = 1 + (SELECT max(revision) FROM (
                SELECT revision FROM chart_revisions WHERE chart_id = NEW.id
                UNION ALL SELECT revision FROM changes WHERE chart_id = NEW.id))
        WHERE id = NEW.id AND NEW.revision <= (SELECT max(revision) FROM (
                SELECT revision FROM chart_revisions WHERE chart_id = NEW.id
                UNION ALL SELECT revision FROM changes WHERE chart_id = NEW.id));
    INSERT INTO changes (chart_id, revision, via, what, new)
        SELECT id, revision, (SELECT via FROM edit_context), 'chart added', title FROM charts WHERE id = NEW.id;
    -- l7flow writes the snapshot of its own edits; this one is for a chart added by hand.
    INSERT OR REPLACE INTO chart_revisions (chart_id, revision, via, snapshot)
        SELECT c.id, c.revision, 'sql', s.snapshot FROM charts c JOIN chart_snapshot s ON s.chart_id = c.id
        WHERE c.id = NEW.id AND (SELECT batch FROM edit_context) IS NULL;
END;

DROP TRIGGER chart_renamed;
CREATE TRIGGER chart_renamed AFTER UPDATE OF id ON charts
WHEN OLD.id IS NOT NEW.id AND (SELECT batch FROM edit_context) IS NULL
BEGIN
    UPDATE OR REPLACE chart_revisions SET chart_id = NEW.id WHERE chart_id = OLD.id;
    UPDATE changes SET chart_id = NEW.id WHERE chart_id = OLD.id;
    UPDATE charts SET revision = revision + 1, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = NEW.id;
    INSERT INTO changes (chart_id, revision, via, what, old, new)
        SELECT id, revision, (SELECT via FROM edit_context), 'chart renamed', OLD.id, NEW.id FROM charts WHERE id = NEW.id;
    INSERT OR REPLACE INTO chart_revisions (chart_id, revision, via, snapshot)
        SELECT c.id, c.revision, 'sql', s.snapshot FROM charts c JOIN chart_snapshot s ON s.chart_id = c.id
        WHERE c.id = NEW.id;
END;
