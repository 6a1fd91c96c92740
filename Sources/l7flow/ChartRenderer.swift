import FlowchartModel

/// Renders a chart for `l7flow show`.
enum ChartRenderer {
    static func render(_ chart: Chart, as format: ChartFormat, revision: Int) -> String {
        switch format {
        case .text: ChartText.format(chart)
        case .json: JSON.encode(json(chart, revision: revision), pretty: true) + "\n"
        case .yaml: yaml(chart, revision: revision)
        case .dot: dot(chart)
        case .mermaid: mermaid(chart)
        }
    }

    static func json(_ chart: Chart, revision: Int) -> Value {
        .map([
            "id": .string(chart.id), "title": .string(chart.title), "heading": .string(chart.heading),
            "protocol": .string(chart.protocolName), "role": .string(chart.role), "trigger": .string(chart.trigger),
            "source": .string(chart.source), "description": .string(chart.description), "args": .string(chart.arguments),
            "revision": .int(revision),
            "nodes": .list(chart.nodes.map { node in
                .map([
                    "id": .string(node.id), "kind": .string(node.kind.rawValue), "label": .string(node.label),
                    "body": .string(node.body),
                    "edges": .map(Dictionary(node.edges.map { ($0.outcome.rawValue, Value.string($0.target)) }, uniquingKeysWith: { a, _ in a })),
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
        out += "protocol: \(scalar(chart.protocolName))\nrole: \(scalar(chart.role))\ntrigger: \(scalar(chart.trigger))\n"
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

    static func dot(_ chart: Chart) -> String {
        func esc(_ s: String) -> String {
            s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n")
        }
        var out = "digraph \"\(esc(chart.id))\" {\n  rankdir=TB;\n  node [fontname=\"Helvetica\", fontsize=10];\n"
        for node in chart.nodes {
            let shape = switch node.kind {
            case .decision: "diamond"
            case .action: "box"
            case .call: "box3d"
            case .wait: "hexagon"
            case .end: "ellipse"
            }
            let text = node.kind == .end ? "\(node.id) \(node.body)\n\(node.label)" : node.label.isEmpty ? "\(node.id)\n\(node.body)" : "\(node.id)\n\(node.label)"
            out += "  \"\(node.id)\" [shape=\(shape), label=\"\(esc(text))\"];\n"
        }
        for node in chart.nodes {
            for edge in node.edges {
                let label = edge.outcome == .next ? "" : " [label=\"\(edge.outcome.rawValue)\"]"
                out += "  \"\(node.id)\" -> \"\(edge.target)\"\(label);\n"
            }
        }
        return out + "}\n"
    }

    static func mermaid(_ chart: Chart) -> String {
        func esc(_ s: String) -> String { s.replacingOccurrences(of: "\"", with: "#quot;").replacingOccurrences(of: "\n", with: " ") }
        var out = "flowchart TD\n"
        for node in chart.nodes {
            let text = esc(node.kind == .end ? "\(node.id) \(node.body): \(node.label)" : "\(node.id): \(node.label.isEmpty ? node.body : node.label)")
            switch node.kind {
            case .decision: out += "  \(node.id){\"\(text)\"}\n"
            case .action: out += "  \(node.id)[\"\(text)\"]\n"
            case .call: out += "  \(node.id)[[\"\(text)\"]]\n"
            case .wait: out += "  \(node.id){{\"\(text)\"}}\n"
            case .end: out += "  \(node.id)([\"\(text)\"])\n"
            }
        }
        for node in chart.nodes {
            for edge in node.edges {
                out += edge.outcome == .next ? "  \(node.id) --> \(edge.target)\n" : "  \(node.id) -->|\(edge.outcome.rawValue)| \(edge.target)\n"
            }
        }
        return out
    }
}
