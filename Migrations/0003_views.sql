-- Views for people reading the database with sqlite3.

-- One row per node, in chart order, with where each edge leads.
CREATE VIEW chart_nodes AS
SELECT n.chart_id, n.position, n.id AS node, n.kind, n.label, n.body,
       (SELECT to_node FROM edges e WHERE e.chart_id = n.chart_id AND e.from_node = n.id AND e.outcome = 'yes') AS yes,
       (SELECT to_node FROM edges e WHERE e.chart_id = n.chart_id AND e.from_node = n.id AND e.outcome = 'no') AS no,
       (SELECT to_node FROM edges e WHERE e.chart_id = n.chart_id AND e.from_node = n.id AND e.outcome = 'next') AS next
FROM nodes n
ORDER BY n.chart_id, n.position;

-- One row per chart: what `l7flow list` shows.
CREATE VIEW chart_summary AS
SELECT c.id, c.protocol, c.role, c.trigger,
       (SELECT count(*) FROM nodes n WHERE n.chart_id = c.id) AS nodes,
       (SELECT count(*) FROM edges e WHERE e.chart_id = c.id) AS edges,
       c.revision, c.draft
FROM charts c
ORDER BY c.id;
