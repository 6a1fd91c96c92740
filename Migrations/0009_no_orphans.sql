-- sqlite3 runs with foreign keys off unless told otherwise, so a node deleted by hand used to
-- leave its edges behind, and a chart deleted by hand its nodes, edges and bindings. These
-- triggers do what the foreign keys' ON DELETE / ON UPDATE CASCADE do, whether foreign keys are
-- on or not (with them on, the cascade has already happened and the triggers find nothing), and
-- refuse rows that would belong to nothing. Rows such a hand edit left earlier are removed here.

DELETE FROM edges WHERE NOT EXISTS (SELECT 1 FROM nodes n WHERE n.chart_id = edges.chart_id AND n.id = edges.from_node);
DELETE FROM nodes WHERE chart_id NOT IN (SELECT id FROM charts);
DELETE FROM bindings WHERE chart_id NOT IN (SELECT id FROM charts);

CREATE TRIGGER chart_removed_rows AFTER DELETE ON charts BEGIN
    DELETE FROM nodes WHERE chart_id = OLD.id;
    DELETE FROM bindings WHERE chart_id = OLD.id;
END;

CREATE TRIGGER chart_renamed_rows AFTER UPDATE OF id ON charts WHEN OLD.id IS NOT NEW.id BEGIN
    UPDATE nodes SET chart_id = NEW.id WHERE chart_id = OLD.id;
    UPDATE edges SET chart_id = NEW.id WHERE chart_id = OLD.id;
    UPDATE bindings SET chart_id = NEW.id WHERE chart_id = OLD.id;
END;

CREATE TRIGGER node_removed_edges AFTER DELETE ON nodes BEGIN
    DELETE FROM edges WHERE chart_id = OLD.chart_id AND from_node = OLD.id;
END;

CREATE TRIGGER node_renamed_edges AFTER UPDATE OF id, chart_id ON nodes
WHEN OLD.id IS NOT NEW.id OR OLD.chart_id IS NOT NEW.chart_id BEGIN
    UPDATE edges SET chart_id = NEW.chart_id, from_node = NEW.id WHERE chart_id = OLD.chart_id AND from_node = OLD.id;
END;

CREATE TRIGGER node_needs_chart BEFORE INSERT ON nodes
WHEN NOT EXISTS (SELECT 1 FROM charts WHERE id = NEW.chart_id) BEGIN
    SELECT RAISE(ABORT, 'a node must belong to a chart that exists (insert the chart first)');
END;

CREATE TRIGGER edge_needs_node BEFORE INSERT ON edges
WHEN NOT EXISTS (SELECT 1 FROM nodes WHERE chart_id = NEW.chart_id AND id = NEW.from_node) BEGIN
    SELECT RAISE(ABORT, 'an edge must leave a node that exists (insert the node first)');
END;

CREATE TRIGGER edge_moved_needs_node BEFORE UPDATE OF chart_id, from_node ON edges
WHEN NOT EXISTS (SELECT 1 FROM nodes WHERE chart_id = NEW.chart_id AND id = NEW.from_node) BEGIN
    SELECT RAISE(ABORT, 'an edge must leave a node that exists');
END;

CREATE TRIGGER binding_needs_chart BEFORE INSERT ON bindings
WHEN NOT EXISTS (SELECT 1 FROM charts WHERE id = NEW.chart_id) BEGIN
    SELECT RAISE(ABORT, 'a binding must name a chart that exists');
END;

CREATE TRIGGER binding_moved_needs_chart BEFORE UPDATE OF chart_id ON bindings
WHEN NOT EXISTS (SELECT 1 FROM charts WHERE id = NEW.chart_id) BEGIN
    SELECT RAISE(ABORT, 'a binding must name a chart that exists');
END;
