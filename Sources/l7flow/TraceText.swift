import FlowEngine
import FlowchartModel

/// The trace for people: one line a step, indented by call depth, with each decision's question,
/// the branch taken and the values it read.
enum TraceText {
    static func render(_ report: RunReport) -> String {
        var out = "\(report.chart) (revision \(report.revision))\n"
        for step in report.steps {
            let indent = String(repeating: "    ", count: step.depth + 1)
            let prefix = step.depth > 0 ? "\(step.flowchart)/" : ""
            switch step.kind {
            case .decision:
                out += "\(indent)\(prefix)\(step.node)  \(step.label)  -> \(step.outcome ?? "?")\n"
                if !step.reads.isEmpty {
                    out += "\(indent)      read " + step.reads.map { "\($0.0) = \(JSON.encode($0.1))" }.joined(separator: ", ") + "\n"
                }
            case .wait:
                out += "\(indent)\(prefix)\(step.node)  \(step.label)  -> \(step.outcome ?? "?") (\(step.detail["woken_by"]?.text ?? ""), t=\(Value.double(step.at).text))\n"
            case .action:
                out += "\(indent)\(prefix)\(step.node)  \(step.label)\n"
                for effect in step.effects { out += "\(indent)      \(describe(effect))\n" }
            case .call:
                let end = step.detail["end"]?.text ?? "?"
                out += "\(indent)\(prefix)\(step.node)  call \(step.detail["callee"]?.text ?? "") -> \(end)\n"
            case .end:
                out += "\(indent)\(prefix)\(step.node)  end \(step.detail["end"]?.text ?? ""): \(step.label)\n"
            }
        }
        switch report.status {
        case .ended(let end): out += "ended at \(end.node) (\(end.outcome.rawValue))\n"
        case .waiting(let wait): out += "still waiting at \(wait.chart) \(wait.node) (nothing more arrived)\n"
        default: break
        }
        if !report.sent.isEmpty {
            out += "sent:\n"
            for m in report.sent { out += "    t=\(Value.double(m.at).text)  \(m.type) to \(m.to)  \(JSON.encode(m.fields))\n" }
        }
        if !report.reports.isEmpty { out += "reports:\n" + report.reports.map { "    \($0)\n" }.joined() }
        if !report.timersStarted.isEmpty {
            out += "timers started: " + report.timersStarted.map { "\($0.name) (\(Value.double($0.seconds).text) s)" }.joined(separator: ", ") + "\n"
        }
        if !report.timersCancelled.isEmpty { out += "timers cancelled: " + report.timersCancelled.joined(separator: ", ") + "\n" }
        if !report.signals.isEmpty {
            out += "signals: " + report.signals.map { "\($0.name)(\(JSON.encode($0.value)))" }.joined(separator: ", ") + "\n"
        }
        if !report.ignored.isEmpty { out += "not delivered:\n" + report.ignored.map { "    \($0)\n" }.joined() }
        return out
    }

    /// A value's JSON, cut short for a one-line effect (the JSON trace has it whole).
    static func brief(_ value: Value?) -> String {
        let text = JSON.encode(value ?? .null)
        return text.count > 90 ? String(text.prefix(87)) + "..." : text
    }

    static func describe(_ effect: Value) -> String {
        guard case .map(let m) = effect else { return JSON.encode(effect) }
        if let path = m["set"]?.string { return "set \(path) = \(brief(m["value"]))" }
        if let path = m["unset"]?.string { return "unset \(path)" }
        if let path = m["append"]?.string { return "append to \(path): \(brief(m["value"]))" }
        if let path = m["remove"]?.string { return "remove from \(path) where \(JSON.encode(m["where"] ?? .null)) (\(m["removed"]?.text ?? "0") removed)" }
        if let type = m["send"]?.string { return "send \(type) to \(m["to"]?.text ?? "")" }
        if let name = m["start_timer"]?.string { return "start timer \(name) (\(m["seconds"]?.text ?? "") s)" }
        if let name = m["cancel_timer"]?.string { return "cancel timer \(name)" }
        if let name = m["signal"]?.string { return "signal \(name) \(JSON.encode(m["value"] ?? .null))" }
        if let text = m["report"]?.string { return "report \"\(text)\"" }
        if let text = m["log"]?.string { return "log \"\(text)\"" }
        if let path = m["bind"]?.string { return "bind \(path) to \(m["to"]?.text ?? "")" }
        if let op = m["tcp"]?.string { return "tcp \(op)\(m["to"].map { " to \($0.text)" } ?? "")" }
        return JSON.encode(effect)
    }
}
