-- A snapshot of each chart at each revision, so that history, diff and revert can show and
-- restore any revision. l7flow writes the snapshot of its own edits; the triggers below (those of
-- 0002, recreated with one more statement) write it for edits made straight through SQL.

CREATE TABLE chart_revisions (
    chart_id TEXT NOT NULL,
    revision INTEGER NOT NULL,
    at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    via      TEXT NOT NULL CHECK (via IN ('sql', 'cli')),
    snapshot TEXT NOT NULL CHECK (json_valid(snapshot)),
    PRIMARY KEY (chart_id, revision)
);

-- The charts already stored start their history at their current revision.
INSERT INTO chart_revisions (chart_id, revision, via, snapshot)
    SELECT c.id, c.revision, 'cli', json_object(
                'header', json((SELECT json_object('title', title, 'heading', heading, 'protocol', protocol, 'role', role, 'trigger', trigger,
                                              'source', source, 'description', description, 'args', args, 'draft', draft)
                           FROM charts WHERE id = c.id)),
                'nodes', json((SELECT json_group_array(json_object('id', id, 'kind', kind, 'label', label, 'body', body))
                          FROM (SELECT * FROM nodes WHERE chart_id = c.id ORDER BY position))),
                'edges', json((SELECT json_group_array(json_object('from', from_node, 'outcome', outcome, 'to', to_node))
                          FROM (SELECT * FROM edges WHERE chart_id = c.id ORDER BY position))))
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
        SELECT id, revision, 'sql', json_object(
            'header', json((SELECT json_object('title', title, 'heading', heading, 'protocol', protocol, 'role', role, 'trigger', trigger,
                                          'source', source, 'description', description, 'args', args, 'draft', draft)
                       FROM charts WHERE id = NEW.chart_id)),
            'nodes', json((SELECT json_group_array(json_object('id', id, 'kind', kind, 'label', label, 'body', body))
                      FROM (SELECT * FROM nodes WHERE chart_id = NEW.chart_id ORDER BY position))),
            'edges', json((SELECT json_group_array(json_object('from', from_node, 'outcome', outcome, 'to', to_node))
                      FROM (SELECT * FROM edges WHERE chart_id = NEW.chart_id ORDER BY position))))
        FROM charts WHERE id = NEW.chart_id AND (SELECT batch FROM edit_context) IS NULL;
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
        SELECT id, revision, 'sql', json_object(
            'header', json((SELECT json_object('title', title, 'heading', heading, 'protocol', protocol, 'role', role, 'trigger', trigger,
                                          'source', source, 'description', description, 'args', args, 'draft', draft)
                       FROM charts WHERE id = NEW.chart_id)),
            'nodes', json((SELECT json_group_array(json_object('id', id, 'kind', kind, 'label', label, 'body', body))
                      FROM (SELECT * FROM nodes WHERE chart_id = NEW.chart_id ORDER BY position))),
            'edges', json((SELECT json_group_array(json_object('from', from_node, 'outcome', outcome, 'to', to_node))
                      FROM (SELECT * FROM edges WHERE chart_id = NEW.chart_id ORDER BY position))))
        FROM charts WHERE id = NEW.chart_id AND (SELECT batch FROM edit_context) IS NULL;
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
        SELECT id, revision, 'sql', json_object(
            'header', json((SELECT json_object('title', title, 'heading', heading, 'protocol', protocol, 'role', role, 'trigger', trigger,
                                          'source', source, 'description', description, 'args', args, 'draft', draft)
                       FROM charts WHERE id = OLD.chart_id)),
            'nodes', json((SELECT json_group_array(json_object('id', id, 'kind', kind, 'label', label, 'body', body))
                      FROM (SELECT * FROM nodes WHERE chart_id = OLD.chart_id ORDER BY position))),
            'edges', json((SELECT json_group_array(json_object('from', from_node, 'outcome', outcome, 'to', to_node))
                      FROM (SELECT * FROM edges WHERE chart_id = OLD.chart_id ORDER BY position))))
        FROM charts WHERE id = OLD.chart_id AND (SELECT batch FROM edit_context) IS NULL;
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
        SELECT id, revision, 'sql', json_object(
            'header', json((SELECT json_object('title', title, 'heading', heading, 'protocol', protocol, 'role', role, 'trigger', trigger,
                                          'source', source, 'description', description, 'args', args, 'draft', draft)
                       FROM charts WHERE id = NEW.chart_id)),
            'nodes', json((SELECT json_group_array(json_object('id', id, 'kind', kind, 'label', label, 'body', body))
                      FROM (SELECT * FROM nodes WHERE chart_id = NEW.chart_id ORDER BY position))),
            'edges', json((SELECT json_group_array(json_object('from', from_node, 'outcome', outcome, 'to', to_node))
                      FROM (SELECT * FROM edges WHERE chart_id = NEW.chart_id ORDER BY position))))
        FROM charts WHERE id = NEW.chart_id AND (SELECT batch FROM edit_context) IS NULL;
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
        SELECT id, revision, 'sql', json_object(
            'header', json((SELECT json_object('title', title, 'heading', heading, 'protocol', protocol, 'role', role, 'trigger', trigger,
                                          'source', source, 'description', description, 'args', args, 'draft', draft)
                       FROM charts WHERE id = NEW.chart_id)),
            'nodes', json((SELECT json_group_array(json_object('id', id, 'kind', kind, 'label', label, 'body', body))
                      FROM (SELECT * FROM nodes WHERE chart_id = NEW.chart_id ORDER BY position))),
            'edges', json((SELECT json_group_array(json_object('from', from_node, 'outcome', outcome, 'to', to_node))
                      FROM (SELECT * FROM edges WHERE chart_id = NEW.chart_id ORDER BY position))))
        FROM charts WHERE id = NEW.chart_id AND (SELECT batch FROM edit_context) IS NULL;
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
        SELECT id, revision, 'sql', json_object(
            'header', json((SELECT json_object('title', title, 'heading', heading, 'protocol', protocol, 'role', role, 'trigger', trigger,
                                          'source', source, 'description', description, 'args', args, 'draft', draft)
                       FROM charts WHERE id = OLD.chart_id)),
            'nodes', json((SELECT json_group_array(json_object('id', id, 'kind', kind, 'label', label, 'body', body))
                      FROM (SELECT * FROM nodes WHERE chart_id = OLD.chart_id ORDER BY position))),
            'edges', json((SELECT json_group_array(json_object('from', from_node, 'outcome', outcome, 'to', to_node))
                      FROM (SELECT * FROM edges WHERE chart_id = OLD.chart_id ORDER BY position))))
        FROM charts WHERE id = OLD.chart_id AND (SELECT batch FROM edit_context) IS NULL;
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
        SELECT id, revision, 'sql', json_object(
            'header', json((SELECT json_object('title', title, 'heading', heading, 'protocol', protocol, 'role', role, 'trigger', trigger,
                                          'source', source, 'description', description, 'args', args, 'draft', draft)
                       FROM charts WHERE id = NEW.id)),
            'nodes', json((SELECT json_group_array(json_object('id', id, 'kind', kind, 'label', label, 'body', body))
                      FROM (SELECT * FROM nodes WHERE chart_id = NEW.id ORDER BY position))),
            'edges', json((SELECT json_group_array(json_object('from', from_node, 'outcome', outcome, 'to', to_node))
                      FROM (SELECT * FROM edges WHERE chart_id = NEW.id ORDER BY position))))
        FROM charts WHERE id = NEW.id AND (SELECT batch FROM edit_context) IS NULL;
END;
