-- A revision number names one state of a chart, for good:
-- * a chart created under an id that had a history (deleted, then created again by import, by
--   `init --reset` or by hand) continues that id's revision numbers instead of starting again at 1,
--   so its old snapshots and log lines are never mixed up with the new ones;
-- * renaming a chart straight through SQL (UPDATE charts SET id = ...) takes its history along and
--   is logged as a revision, as `l7flow edit rename` does.

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

-- Only outside a batch: l7flow's own rename moves the history itself.
CREATE TRIGGER chart_renamed AFTER UPDATE OF id ON charts
WHEN OLD.id IS NOT NEW.id AND (SELECT batch FROM edit_context) IS NULL
BEGIN
    UPDATE OR REPLACE chart_revisions SET chart_id = NEW.id WHERE chart_id = OLD.id;
    UPDATE changes SET chart_id = NEW.id WHERE chart_id = OLD.id;
    UPDATE charts SET revision = revision + 1, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = NEW.id;
    INSERT INTO changes (chart_id, revision, via, what, old, new)
        SELECT id, revision, (SELECT via FROM edit_context), 'chart renamed', OLD.id, NEW.id FROM charts WHERE id = NEW.id;
    INSERT OR REPLACE INTO chart_revisions (chart_id, revision, via, snapshot)
        SELECT id, revision, 'sql', json_object(
            'header', json((SELECT json_object('title', title, 'heading', heading, 'protocol', protocol, 'role', role, 'trigger', trigger,
                                          'source', source, 'description', description, 'args', args, 'draft', draft)
                       FROM charts WHERE id = NEW.id)),
            'nodes', json((SELECT json_group_array(json_object('id', id, 'kind', kind, 'label', label, 'body', body))
                      FROM (SELECT * FROM nodes WHERE chart_id = NEW.id ORDER BY position))),
            'edges', json((SELECT json_group_array(json_object('from', from_node, 'outcome', outcome, 'to', to_node))
                      FROM (SELECT * FROM edges WHERE chart_id = NEW.id ORDER BY position))))
        FROM charts WHERE id = NEW.id;
END;
