import FlowchartModel

/// Draws a chart as Graphviz `dot` or Mermaid, optionally with the path of runs lit: nodes and
/// edges taken drawn strong and numbered in the order of the first run (or counted over several
/// runs), the rest dimmed. Decisions are diamonds; long labels are wrapped.
public enum ChartDiagram {
    /// Characters per line of a wrapped node label.
    public static let wrapWidth = 28

    static let takenColor = "#1b7f3b"
    static let takenFill = "#dff3e4"
    static let dimColor = "#b0b0b0"

    // MARK: Graphviz

    /// The chart in Graphviz's `dot` language.
    public static func dot(_ chart: Chart, overlay: PathOverlay? = nil) -> String {
        let lit = overlay.map { !$0.isEmpty } ?? false
        var out = "digraph \"\(dotEscape(chart.id))\" {\n"
        out += "  rankdir=TB;\n  labelloc=t;\n"
        out += "  label=\"\(dotEscape(title(chart, overlay: overlay)))\";\n"
        out += "  node [fontname=\"Helvetica\", fontsize=10];\n  edge [fontname=\"Helvetica\", fontsize=9];\n"
        for node in chart.nodes {
            var attrs = ["shape=\(dotShape(node.kind))", "label=\"\(dotEscape(nodeText(node, overlay: overlay)))\""]
            if node.kind == .action || node.kind == .call { attrs.append("style=\"rounded\"") }
            if lit {
                if (overlay?.nodeHits[node.id] ?? 0) > 0 {
                    attrs.append(
                        node.kind == .action || node.kind == .call
                            ? "style=\"rounded,filled,bold\"" : "style=\"filled,bold\"")
                    attrs.append("fillcolor=\"\(takenFill)\"")
                    attrs.append("color=\"\(takenColor)\"")
                    attrs.append("penwidth=2")
                } else {
                    attrs.append("color=\"\(dimColor)\"")
                    attrs.append("fontcolor=\"\(dimColor)\"")
                }
            }
            // A later style= overrides the earlier one in dot; keep only the last.
            out += "  \"\(dotEscape(node.id))\" [\(dedupeStyle(attrs).joined(separator: ", "))];\n"
        }
        for node in chart.nodes {
            for edge in node.edges {
                let ref = EdgeRef(from: node.id, outcome: edge.outcome)
                var attrs: [String] = []
                let label = edgeText(edge.outcome, ref: ref, overlay: overlay)
                if !label.isEmpty { attrs.append("label=\"\(dotEscape(label))\"") }
                if lit {
                    if (overlay?.edgeHits[ref] ?? 0) > 0 {
                        attrs += ["color=\"\(takenColor)\"", "fontcolor=\"\(takenColor)\"", "penwidth=2.5"]
                    } else {
                        attrs += ["color=\"\(dimColor)\"", "fontcolor=\"\(dimColor)\"", "style=dashed"]
                    }
                }
                let tail = attrs.isEmpty ? "" : " [\(attrs.joined(separator: ", "))]"
                out += "  \"\(dotEscape(node.id))\" -> \"\(dotEscape(edge.target))\"\(tail);\n"
            }
        }
        return out + "}\n"
    }

    static func dotShape(_ kind: NodeKind) -> String {
        switch kind {
        case .decision: "diamond"
        case .action: "box"
        case .call: "box3d"
        case .wait: "hexagon"
        case .end: "ellipse"
        }
    }

    static func dedupeStyle(_ attrs: [String]) -> [String] {
        guard let last = attrs.last(where: { $0.hasPrefix("style=") }) else { return attrs }
        return attrs.filter { !$0.hasPrefix("style=") } + [last]
    }

    /// Escapes text for a double-quoted dot string; line breaks become `\n`.
    public static func dotEscape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.count)
        for c in s {
            switch c {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\r": break
            default: out.append(c)
            }
        }
        return out
    }

    // MARK: Mermaid

    /// The chart as a Mermaid flowchart.
    public static func mermaid(_ chart: Chart, overlay: PathOverlay? = nil) -> String {
        let lit = overlay.map { !$0.isEmpty } ?? false
        var out = "---\ntitle: \"\(mermaidEscape(title(chart, overlay: overlay)))\"\n---\nflowchart TD\n"
        for node in chart.nodes {
            let text = mermaidEscape(nodeText(node, overlay: overlay)).replacingOccurrences(of: "\n", with: "<br/>")
            let id = mermaidID(node.id)
            switch node.kind {
            case .decision: out += "  \(id){\"\(text)\"}\n"
            case .action: out += "  \(id)(\"\(text)\")\n"
            case .call: out += "  \(id)[[\"\(text)\"]]\n"
            case .wait: out += "  \(id){{\"\(text)\"}}\n"
            case .end: out += "  \(id)([\"\(text)\"])\n"
            }
        }
        var taken: [Int] = []
        var dimmed: [Int] = []
        var index = 0
        for node in chart.nodes {
            for edge in node.edges {
                let ref = EdgeRef(from: node.id, outcome: edge.outcome)
                let label = mermaidEscape(edgeText(edge.outcome, ref: ref, overlay: overlay))
                let arrow = label.isEmpty ? "-->" : "-->|\"\(label)\"|"
                out += "  \(mermaidID(node.id)) \(arrow) \(mermaidID(edge.target))\n"
                if lit { ((overlay?.edgeHits[ref] ?? 0) > 0 ? { taken.append(index) } : { dimmed.append(index) })() }
                index += 1
            }
        }
        if lit, let overlay {
            out += "  classDef taken fill:\(takenFill),stroke:\(takenColor),stroke-width:2px\n"
            out += "  classDef untaken fill:#ffffff,stroke:\(dimColor),color:\(dimColor)\n"
            let hit = chart.nodes.filter { (overlay.nodeHits[$0.id] ?? 0) > 0 }.map { mermaidID($0.id) }
            let missed = chart.nodes.filter { (overlay.nodeHits[$0.id] ?? 0) == 0 }.map { mermaidID($0.id) }
            if !hit.isEmpty { out += "  class \(hit.joined(separator: ",")) taken\n" }
            if !missed.isEmpty { out += "  class \(missed.joined(separator: ",")) untaken\n" }
            if !taken.isEmpty {
                out +=
                    "  linkStyle \(taken.map(String.init).joined(separator: ",")) stroke:\(takenColor),stroke-width:3px\n"
            }
            if !dimmed.isEmpty {
                out +=
                    "  linkStyle \(dimmed.map(String.init).joined(separator: ",")) stroke:\(dimColor),stroke-dasharray:4 3\n"
            }
        }
        return out
    }

    /// Escapes text for a quoted Mermaid label: quotes, angle brackets and ampersands become
    /// Mermaid's entity codes, so a label can never close its string or open markup.
    public static func mermaidEscape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.count)
        for c in s {
            switch c {
            case "\"": out += "#quot;"
            case "<": out += "#lt;"
            case ">": out += "#gt;"
            case "&": out += "#amp;"
            case "#": out += "#35;"
            case "\r": break
            default: out.append(c)
            }
        }
        return out
    }

    /// A node id safe as a Mermaid identifier (ids are letters and digits; anything else is dropped
    /// into `_`).
    static func mermaidID(_ id: String) -> String {
        String(id.map { $0.isLetter || $0.isNumber ? $0 : "_" })
    }

    // MARK: Shared text

    static func title(_ chart: Chart, overlay: PathOverlay?) -> String {
        var t = chart.title.isEmpty ? chart.id : "\(chart.id): \(chart.title)"
        if let overlay, overlay.runs > 0 {
            t += overlay.runs == 1 ? " (path of 1 run)" : " (paths of \(overlay.runs) runs)"
        }
        return t
    }

    static func nodeText(_ node: Node, overlay: PathOverlay?) -> String {
        let base =
            switch node.kind {
            case .end: "\(node.id) \(node.body)\n" + wrap(node.label)
            default: "\(node.id)\n" + wrap(node.label.isEmpty ? node.body : node.label)
            }
        guard let overlay, overlay.runs > 0, let hits = overlay.nodeHits[node.id], hits > 0 else { return base }
        return base + "\n" + mark(order: overlay.nodeOrder[node.id] ?? [], hits: hits, runs: overlay.runs)
    }

    static func edgeText(_ outcome: EdgeOutcome, ref: EdgeRef, overlay: PathOverlay?) -> String {
        let name = outcome == .next ? "" : outcome.rawValue
        guard let overlay, overlay.runs > 0, let hits = overlay.edgeHits[ref], hits > 0 else { return name }
        let m = mark(order: overlay.edgeOrder[ref] ?? [], hits: hits, runs: overlay.runs)
        return name.isEmpty ? m : "\(name) \(m)"
    }

    /// `#3` or `#2,#7` (the step numbers of one run), or `×12` (visits over several runs).
    static func mark(order: [Int], hits: Int, runs: Int) -> String {
        guard runs == 1, !order.isEmpty else { return "×\(hits)" }
        let shown = order.prefix(4).map { "#\($0)" }.joined(separator: ",")
        return order.count > 4 ? shown + ",…" : shown
    }

    /// Breaks text into lines of at most `width` characters at spaces (a longer word keeps its
    /// own line).
    public static func wrap(_ text: String, width: Int = wrapWidth) -> String {
        var lines: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = ""
            for word in paragraph.split(separator: " ") {
                if line.isEmpty {
                    line = String(word)
                } else if line.count + 1 + word.count <= width {
                    line += " " + word
                } else {
                    lines.append(line)
                    line = String(word)
                }
            }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }
}
