/// The chart text format of `Flowcharts/**/*.flow`: a header of `key: value` lines, then the nodes
/// in the notation of the spec (`D1 decision "Question?" [eq(a, b)] yes -> D2 no -> E1`).
///
/// `format` writes the canonical form; `parse(format(c)) == c`, and a canonical file survives
/// import and export byte for byte.
public enum ChartText {
    /// A chart file that could not be read.
    public struct ParseError: Error, Sendable, Hashable, CustomStringConvertible {
        /// The file or chart the error is in.
        public let source: String
        /// 1-based line in the file.
        public let line: Int
        public let reason: String
        public var description: String { "\(source):\(line): \(reason)" }
    }

    /// Header keys in canonical order.
    static let headerKeys = ["title", "heading", "protocol", "role", "trigger", "source", "args", "description"]
    /// Longest one-line node before the body moves to its own line.
    static let lineLimit = 110

    // MARK: Writing

    /// The canonical text of a chart.
    public static func format(_ chart: Chart) -> String {
        var out = "chart \(chart.id)\n"
        let fields: [(String, String)] = [
            ("title", chart.title), ("heading", chart.heading), ("protocol", chart.protocolName),
            ("role", chart.role), ("trigger", chart.trigger), ("source", chart.source),
            ("args", chart.arguments), ("description", chart.description),
        ]
        for (key, value) in fields where !value.isEmpty || ["protocol", "role", "trigger"].contains(key) {
            let lines = value.split(separator: "\n", omittingEmptySubsequences: false)
            out += "\(key): \(lines[0])\n"
            for line in lines.dropFirst() { out += line.isEmpty ? "\n" : "  \(line)\n" }
        }
        out += "\n"
        for node in chart.nodes { out += format(node) + "\n" }
        return out
    }

    /// One node in canonical form (possibly several lines).
    public static func format(_ node: Node) -> String {
        var head = "\(node.id) \(node.kind.rawValue)"
        let label = quoted(node.label)
        let body: String
        switch node.kind {
        case .decision: body = "[\(node.body)]"
        case .action: body = "{ \(node.body) }"
        case .wait, .call: body = node.body
        case .end: body = node.body + (node.label.isEmpty ? "" : " " + label)
        }
        if node.kind != .end && (node.kind != .call || !node.label.isEmpty) { head += " " + label }
        let edges = node.edges.map {
            $0.outcome == .next ? "-> \($0.target)" : "\($0.outcome.rawValue) -> \($0.target)"
        }
        .joined(separator: " ")
        let tail = edges.isEmpty ? "" : " " + edges
        let oneLine = head + " " + body + tail
        if node.kind == .end || (!body.contains("\n") && oneLine.count <= lineLimit) { return oneLine }
        return head + "\n   " + body + tail
    }

    static func quoted(_ s: String) -> String {
        var out = "\""
        for c in s {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default: out.append(c)
            }
        }
        return out + "\""
    }

    // MARK: Reading

    /// Parses a chart file; `source` names it in errors.
    public static func parse(_ text: String, source: String) throws(ParseError) -> Chart {
        guard text.utf8.count <= Chart.maxTextBytes else {
            throw ParseError(
                source: source, line: 1,
                reason: "the chart text is \(text.utf8.count) bytes; at most \(Chart.maxTextBytes) are allowed")
        }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var index = 0
        func fail(_ line: Int, _ reason: String) -> ParseError {
            ParseError(source: source, line: line, reason: reason)
        }

        while index < lines.count, lines[index].trimmingSpaces.isEmpty { index += 1 }
        guard index < lines.count, lines[index].hasPrefix("chart ") else {
            throw fail(index + 1, "a chart file starts with 'chart <id>'")
        }
        let id = String(lines[index].dropFirst(6)).trimmingSpaces
        guard !id.isEmpty, !id.contains(" ") else { throw fail(index + 1, "expected one chart id after 'chart'") }
        do { try ChartName.check(id, as: "chart id") } catch { throw fail(index + 1, error.description) }
        let idLine = index + 1
        index += 1

        // Header: `key: value` lines; a line indented by two spaces continues the previous value.
        var values: [String: String] = [:]
        var lastKey: String?
        var pendingBlank = 0
        while index < lines.count, !isNodeStart(lines[index]) {
            let line = lines[index]
            defer { index += 1 }
            if line.trimmingSpaces.isEmpty {
                pendingBlank += 1
                continue
            }
            if line.hasPrefix("  "), let key = lastKey {
                values[key]! += String(repeating: "\n", count: pendingBlank + 1) + line.dropFirst(2)
                pendingBlank = 0
                continue
            }
            pendingBlank = 0
            guard let colon = line.firstIndex(of: ":") else {
                throw fail(index + 1, "expected 'key: value' in the header")
            }
            let key = String(line[..<colon])
            guard headerKeys.contains(key) else {
                throw fail(index + 1, "unknown header key '\(key)' (expected \(headerKeys.joined(separator: ", ")))")
            }
            guard values[key] == nil else { throw fail(index + 1, "header key '\(key)' appears twice") }
            values[key] = String(line[line.index(after: colon)...]).trimmingSpaces
            lastKey = key
        }
        for key in ["protocol", "role", "trigger"] where (values[key] ?? "").isEmpty {
            throw fail(index + 1, "the header needs '\(key): ...'")
        }
        for key in ["protocol", "role", "trigger"] {
            do { try ChartName.check(values[key]!, as: key) } catch { throw fail(idLine, error.description) }
        }

        var chart = Chart(
            id: id, title: values["title"] ?? "", heading: values["heading"] ?? "",
            protocolName: values["protocol"]!, role: values["role"]!, trigger: values["trigger"]!,
            source: values["source"] ?? "", description: values["description"] ?? "",
            arguments: values["args"] ?? "")

        // Nodes: a line starting with an id begins one; indented lines continue it.
        while index < lines.count {
            let line = lines[index]
            if line.trimmingSpaces.isEmpty {
                index += 1
                continue
            }
            guard isNodeStart(line) else {
                throw fail(index + 1, "expected a node such as 'D1 decision \"...\" [...] yes -> D2 no -> E1'")
            }
            guard chart.nodes.count < Chart.maxNodes else {
                throw fail(index + 1, "the chart has more than \(Chart.maxNodes) nodes")
            }
            let first = index
            var text = line
            index += 1
            while index < lines.count, !lines[index].trimmingSpaces.isEmpty, !isNodeStart(lines[index]) {
                text += "\n" + lines[index]
                index += 1
            }
            do {
                chart.nodes.append(try parseNode(text))
            } catch {
                throw fail(first + 1 + error.line, error.reason)
            }
        }
        return chart
    }

    static func isNodeStart(_ line: String) -> Bool {
        guard let first = line.unicodeScalars.first, ("A"..."Z").contains(first) else { return false }
        let rest = line.unicodeScalars.dropFirst().prefix { ("0"..."9").contains($0) }
        guard !rest.isEmpty else { return false }
        let after = line.unicodeScalars.dropFirst(1 + rest.count).first
        return after == " " || after == "\t"
    }

    /// Parses one node's text; error lines are relative to the node's first line (0-based).
    static func parseNode(_ text: String) throws(NotationError) -> Node {
        var p = NotationParser(text)
        func lineError(_ reason: String, at offset: Int? = nil) -> NotationError {
            let e = p.error(reason, at: offset)
            return NotationError(line: e.line - 1, column: e.column, reason: reason)
        }
        guard let id = p.identifier() else { throw lineError("expected a node id") }
        guard let kindWord = p.identifier(), let kind = NodeKind(rawValue: kindWord) else {
            throw lineError("expected a node kind after \(id): decision, action, call, wait or end")
        }
        var label = ""
        var body: String
        p.skipSpace()
        switch kind {
        case .decision, .action, .wait:
            if p.peekByte() == UInt8(ascii: "\"") {
                do { label = try p.rawString() } catch { throw lineError(error.reason) }
            }
            p.skipSpace()
            let open: UInt8 = kind == .decision ? UInt8(ascii: "[") : UInt8(ascii: "{")
            guard p.peekByte() == open else {
                throw lineError(
                    kind == .decision
                        ? "expected '[predicate]' after the question"
                        : kind == .action
                            ? "expected '{ calls }' after the label" : "expected '{signal: ..., timer: ...}'")
            }
            let start = p.pos
            guard let close = matchingClose(p.bytes, from: start) else {
                throw lineError("no matching close for the body", at: start)
            }
            p.pos = close + 1
            if kind == .wait {
                body = String(decoding: p.bytes[start...close], as: UTF8.self)
            } else {
                body = String(decoding: p.bytes[(start + 1)..<close], as: UTF8.self).trimmingSpaces
            }
        case .call:
            if p.peekByte() == UInt8(ascii: "\"") {
                do { label = try p.rawString() } catch { throw lineError(error.reason) }
            }
            p.skipSpace()
            let start = p.pos
            let end = edgesStart(p.bytes, from: start)
            body = String(decoding: p.bytes[start..<end], as: UTF8.self).trimmingSpaces
            p.pos = end
        case .end:
            let start = p.pos
            // The outcome word, then for `return` one expression, then an optional label.
            guard let word = p.identifier() else { throw lineError("expected an end outcome") }
            if word == "return" {
                do { _ = try p.expression() } catch { throw lineError(error.reason) }
            }
            body = String(decoding: p.bytes[start..<p.pos], as: UTF8.self).trimmingSpaces
            p.skipSpace()
            if p.peekByte() == UInt8(ascii: "\"") {
                do { label = try p.rawString() } catch { throw lineError(error.reason) }
            }
        }
        if body.isEmpty { throw lineError("\(id) has no body") }
        var edges: [Edge] = []
        while true {
            p.skipSpace()
            if p.atEnd { break }
            var outcome = EdgeOutcome.next
            if let word = p.identifier() {
                guard let o = EdgeOutcome(rawValue: word), o != .next else {
                    throw lineError("expected 'yes ->', 'no ->' or '->'")
                }
                outcome = o
                p.skipSpace()
            }
            guard p.pos + 1 < p.bytes.count, p.bytes[p.pos] == UInt8(ascii: "-"),
                p.bytes[p.pos + 1] == UInt8(ascii: ">")
            else {
                throw lineError("expected '->'")
            }
            p.pos += 2
            guard let target = p.identifier() else { throw lineError("expected a node id after '->'") }
            edges.append(Edge(outcome, target))
        }
        return Node(id: id, kind: kind, label: label, body: body, edges: edges)
    }

    /// The offset of the bracket closing the one at `from`, skipping strings.
    static func matchingClose(_ bytes: [UInt8], from: Int) -> Int? {
        var depth = 0
        var i = from
        var inString = false
        while i < bytes.count {
            let b = bytes[i]
            if inString {
                if b == UInt8(ascii: "\\") { i += 1 } else if b == UInt8(ascii: "\"") { inString = false }
            } else if b == UInt8(ascii: "\"") {
                inString = true
            } else if b == UInt8(ascii: "[") || b == UInt8(ascii: "{") || b == UInt8(ascii: "(") {
                depth += 1
            } else if b == UInt8(ascii: "]") || b == UInt8(ascii: "}") || b == UInt8(ascii: ")") {
                depth -= 1
                if depth == 0 { return i }
            }
            i += 1
        }
        return nil
    }

    /// Where the edges of a call node begin: the first `->`, or `yes ->`/`no ->`, outside brackets and strings.
    static func edgesStart(_ bytes: [UInt8], from: Int) -> Int {
        var depth = 0
        var i = from
        var inString = false
        var lastWordStart = -1
        while i < bytes.count {
            let b = bytes[i]
            if inString {
                if b == UInt8(ascii: "\\") { i += 1 } else if b == UInt8(ascii: "\"") { inString = false }
            } else if b == UInt8(ascii: "\"") {
                inString = true
            } else if b == UInt8(ascii: "[") || b == UInt8(ascii: "{") || b == UInt8(ascii: "(") {
                depth += 1
            } else if b == UInt8(ascii: "]") || b == UInt8(ascii: "}") || b == UInt8(ascii: ")") {
                depth -= 1
            } else if depth == 0, b == UInt8(ascii: "-"), i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: ">") {
                // `yes ->` / `no ->`: the edge starts at the word.
                if lastWordStart >= 0 {
                    let word = String(decoding: bytes[lastWordStart..<i], as: UTF8.self).trimmingSpaces
                    if word == "yes" || word == "no" { return lastWordStart }
                }
                return i
            }
            if depth == 0, !inString {
                if NotationParser.isIdentChar(b) {
                    if i == from || !NotationParser.isIdentChar(bytes[i - 1]) { lastWordStart = i }
                } else if b != 0x20 && b != 0x09 && b != 0x0A {
                    lastWordStart = -1
                }
            }
            i += 1
        }
        return bytes.count
    }
}

extension String {
    /// The string without leading and trailing spaces, tabs and newlines.
    var trimmingSpaces: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
