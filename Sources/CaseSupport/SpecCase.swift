import FlowchartModel
import Foundation

/// A test case in the spec's form: a starting context, timed events and what must come out.
public struct SpecCase: Sendable, CustomStringConvertible {
    public let id: String
    public let flowchart: String
    public let context: Value
    public let events: Value
    public let expect: [String: Value]
    public var description: String { id }
}

/// Loads case files: each is a JSON array of cases. A case may name a `base` case of the same
/// file and give a `patch` (path → value; the value `"$delete"` removes the path) to its context.
public enum CaseLibrary {
    /// The folder of this package's own case files, `Tests/Cases` (for the package's tests).
    public static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Tests/Cases")

    /// Every case of every file in `folder`, in file order.
    public static func load(from folder: URL = folder) throws -> [SpecCase] {
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }
            .sorted()
        return try files.flatMap { try load(file: folder.appendingPathComponent($0)) }
    }

    public static func load(file: URL) throws -> [SpecCase] {
        let text = try String(contentsOf: file, encoding: .utf8)
        guard case .list(let items) = try JSON.parse(text) else {
            throw CaseError("\(file.lastPathComponent): expected an array")
        }
        var byID: [String: SpecCase] = [:]
        var out: [SpecCase] = []
        for item in items {
            guard let id = item["id"].string else { throw CaseError("\(file.lastPathComponent): a case has no id") }
            var context = item["context"]
            var events = item["events"].isNull ? Value.list([]) : item["events"]
            var flowchart = item["flowchart"].string
            if let baseID = item["base"].string {
                guard let base = byID[baseID] else {
                    throw CaseError("\(id): base \(baseID) is not an earlier case of the file")
                }
                context = base.context
                if item["events"].isNull { events = base.events }
                flowchart = flowchart ?? base.flowchart
                // Shorter paths first, so a patch may replace a map and then change a member of it.
                for (path, value) in (item["patch"].map ?? [:]).sorted(by: {
                    ($0.key.count, $0.key) < ($1.key.count, $1.key)
                }) {
                    context = try patch(context, path: Path.parse(path), value: value, case: id)
                }
            }
            guard let chart = flowchart else { throw CaseError("\(id): no flowchart") }
            let c = SpecCase(
                id: id, flowchart: chart, context: context, events: events, expect: item["expect"].map ?? [:])
            byID[id] = c
            out.append(c)
        }
        return out
    }

    static func patch(_ context: Value, path: Path, value: Value, case id: String) throws -> Value {
        var keys = [path.root]
        for segment in path.segments {
            switch segment {
            case .key(let k): keys.append(k)
            case .index(let i): keys.append("#\(i)")
            case .computed: throw CaseError("\(id): a patch path cannot hold computed keys")
            }
        }
        return set(context, keys[...], value)
    }

    private static func set(_ node: Value, _ keys: ArraySlice<String>, _ value: Value) -> Value {
        guard let key = keys.first else { return value }
        if key.hasPrefix("#"), let i = Int(key.dropFirst()), case .list(var l) = node, l.indices.contains(i) {
            if keys.count == 1, value == .string("$delete") {
                l.remove(at: i)
            } else {
                l[i] = set(l[i], keys.dropFirst(), value)
            }
            return .list(l)
        }
        var m = node.map ?? [:]
        if keys.count == 1, value == .string("$delete") {
            m.removeValue(forKey: key)
        } else {
            m[key] = set(m[key] ?? .null, keys.dropFirst(), value)
        }
        return .map(m)
    }
}

/// A malformed case file.
public struct CaseError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Compares a trace (the JSON of `l7flow run --json`) with a case's `expect`, by the spec's rules:
/// a map matches when every key it names matches; a list element by element with the same length;
/// numbers within 1e-9 relative; null matches null or absent.
public enum CaseMatcher {
    public static func mismatches(_ expect: [String: Value], trace: Value) -> [String] {
        var out: [String] = []
        for (key, want) in expect.sorted(by: { $0.key < $1.key }) {
            switch key {
            case "path":
                if !matches(trace["path"], want) {
                    out.append("path: expected \(JSON.encode(want)), got \(JSON.encode(trace["path"]))")
                }
            case "end":
                if trace["end"]["node"] != want {
                    out.append("end: expected \(want.text), got \(JSON.encode(trace["end"]))")
                }
            case "sent":
                let got = Value.list(
                    (trace["sent"].list ?? []).map { m in
                        .map(["type": m["type"], "to": m["to"], "fields": m["fields"]])
                    })
                if !matches(got, want) { out.append("sent: expected \(JSON.encode(want)), got \(JSON.encode(got))") }
            case "writes":
                for (path, value) in want.map ?? [:] {
                    let got = lookup(trace["context"], path)
                    if !matches(got, value) {
                        out.append("writes \(path): expected \(JSON.encode(value)), got \(JSON.encode(got))")
                    }
                }
            case "reports", "signals":
                if !matches(trace[key], want) {
                    out.append("\(key): expected \(JSON.encode(want)), got \(JSON.encode(trace[key]))")
                }
            case "timers_started":
                if !matches(trace["timers"]["started"], want) {
                    out.append(
                        "timers_started: expected \(JSON.encode(want)), got \(JSON.encode(trace["timers"]["started"]))")
                }
            case "timers_cancelled":
                if !matches(trace["timers"]["cancelled"], want) {
                    out.append(
                        "timers_cancelled: expected \(JSON.encode(want)), got \(JSON.encode(trace["timers"]["cancelled"]))"
                    )
                }
            case "return":
                if !matches(trace["return"], want) {
                    out.append("return: expected \(JSON.encode(want)), got \(JSON.encode(trace["return"]))")
                }
            default:
                out.append("unknown expectation '\(key)'")
            }
        }
        return out
    }

    /// Reads a dotted path (numbers may be map keys or list indexes; brackets allowed).
    public static func lookup(_ root: Value, _ path: String) -> Value {
        guard let parsed = try? Path.parse(path) else { return .null }
        var value = root[parsed.root]
        for segment in parsed.segments {
            switch (segment, value) {
            case (.key(let k), .list(let l)): value = Int(k).flatMap { l.indices.contains($0) ? l[$0] : nil } ?? .null
            case (.key(let k), _): value = value[k]
            case (.index(let i), .list(let l)): value = l.indices.contains(i) ? l[i] : .null
            case (.index(let i), _): value = value[String(i)]
            case (.computed, _): return .null
            }
        }
        return value
    }

    public static func matches(_ got: Value, _ want: Value) -> Bool {
        switch (got, want) {
        case (_, .null): return got.isNull
        case (.map(let g), .map(let w)): return w.allSatisfy { k, v in matches(g[k] ?? .null, v) }
        case (.list(let g), .list(let w)): return g.count == w.count && zip(g, w).allSatisfy { matches($0, $1) }
        case (.int, .double), (.double, .int), (.double, .double):
            let a = got.number!
            let b = want.number!
            return a == b || abs(a - b) <= 1e-9 * max(abs(a), abs(b))
        default: return got.looselyEquals(want)
        }
    }
}
