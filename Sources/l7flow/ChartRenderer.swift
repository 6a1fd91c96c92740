import FlowInsight
import FlowchartModel

/// Renders a chart for `l7flow show`.
enum ChartRenderer {
    /// The chart in `format`; the diagram formats light `overlay`'s path when one is given.
    static func render(_ chart: Chart, as format: ChartFormat, revision: Int, overlay: PathOverlay? = nil) throws
        -> String
    {
        switch format {
        case .text: ChartText.format(chart)
        case .json: JSON.encode(json(chart, revision: revision), pretty: true) + "\n"
        case .yaml: yaml(chart, revision: revision)
        case .dot: ChartDiagram.dot(chart, overlay: overlay)
        case .mermaid: ChartDiagram.mermaid(chart, overlay: overlay)
        case .svg: try Graphviz.svg(ChartDiagram.dot(chart, overlay: overlay))
        }
    }

    static func json(_ chart: Chart, revision: Int) -> Value {
        .map([
            "id": .string(chart.id), "title": .string(chart.title), "heading": .string(chart.heading),
            "protocol": .string(chart.protocolName), "role": .string(chart.role), "trigger": .string(chart.trigger),
            "source": .string(chart.source), "description": .string(chart.description),
            "args": .string(chart.arguments),
            "revision": .int(revision),
            "nodes": .list(
                chart.nodes.map { node in
                    .map([
                        "id": .string(node.id), "kind": .string(node.kind.rawValue), "label": .string(node.label),
                        "body": .string(node.body),
                        "edges": .map(
                            Dictionary(
                                node.edges.map { ($0.outcome.rawValue, Value.string($0.target)) },
                                uniquingKeysWith: { a, _ in a })),
                    ])
                }),
        ])
    }

    static func yaml(_ chart: Chart, revision: Int) -> String {
        func scalar(_ s: String) -> String {
            var out = ""
            JSON.quote(s, into: &out)
            return out
        }
        var out = "id: \(scalar(chart.id))\ntitle: \(scalar(chart.title))\n"
        if !chart.heading.isEmpty { out += "heading: \(scalar(chart.heading))\n" }
        out +=
            "protocol: \(scalar(chart.protocolName))\nrole: \(scalar(chart.role))\ntrigger: \(scalar(chart.trigger))\n"
        if !chart.source.isEmpty { out += "source: \(scalar(chart.source))\n" }
        if !chart.arguments.isEmpty { out += "args: \(scalar(chart.arguments))\n" }
        if !chart.description.isEmpty { out += "description: \(scalar(chart.description))\n" }
        out += "revision: \(revision)\nnodes:\n"
        for node in chart.nodes {
            out += "  - id: \(node.id)\n    kind: \(node.kind.rawValue)\n"
            if !node.label.isEmpty { out += "    label: \(scalar(node.label))\n" }
            out += "    body: \(scalar(node.body))\n"
            if !node.edges.isEmpty {
                out += "    edges:\n"
                for edge in node.edges { out += "      \"\(edge.outcome.rawValue)\": \(edge.target)\n" }
            }
        }
        return out
    }
}
