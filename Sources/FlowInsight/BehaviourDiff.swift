import FlowchartModel

/// What one input did under a chart revision: the comparable parts of a run.
public struct RunOutcome: Sendable, Equatable {
    /// The path in the spec's notation (`D1:yes`, `A4`, `dns.search_recursively/D1:yes`).
    public let path: [String]
    /// The end node, or nil when the run did not end (it waits, or it failed).
    public let end: String?
    /// Messages sent, each as `{type, to, fields}`.
    public let sent: [Value]
    /// The context after the run (all roots).
    public let context: Value
    /// Lines shown to the user.
    public let reports: [String]
    /// Why the run failed, when it did (a primitive error, the step budget).
    public let error: String?

    public init(path: [String], end: String?, sent: [Value], context: Value, reports: [String], error: String? = nil) {
        self.path = path
        self.end = end
        self.sent = sent
        self.context = context
        self.reports = reports
        self.error = error
    }

    /// The outcome of a trace in the JSON form of the trace contract.
    public init(trace: Value) {
        path = trace["path"].list?.compactMap(\.string) ?? []
        end = trace["end"]["node"].string
        sent = (trace["sent"].list ?? []).map { m in
            .map(["type": m["type"], "to": m["to"], "fields": m["fields"]])
        }
        context = trace["context"]
        reports = trace["reports"].list?.compactMap(\.string) ?? []
        error = nil
    }

    /// The outcome of a run that failed before it could end.
    public init(error: String) {
        self.init(path: [], end: nil, sent: [], context: .null, reports: [], error: error)
    }
}

/// How one input's behaviour differs between two revisions of a chart.
public struct BehaviourDifference: Sendable {
    /// Which parts differ.
    public enum Aspect: String, Sendable, CaseIterable {
        case path, end, sent, writes, reports, error
    }

    /// The input's name (a case id, or a scenario's run).
    public let input: String
    public let aspects: [Aspect]
    /// Index into the paths of the first step that differs (nil when the paths are equal).
    public let divergenceIndex: Int?
    /// The step each revision took there (nil when that path had already ended).
    public let before: String?
    public let after: String?
    /// Context paths whose values differ after the two runs, at most `writeLimit` of them.
    public let changedWrites: [String]

    /// How many differing context paths are listed.
    public static let writeLimit = 20

    /// Compares two outcomes of the same input; nil when they are alike in every aspect.
    public static func compare(input: String, _ a: RunOutcome, _ b: RunOutcome) -> BehaviourDifference? {
        var aspects: [Aspect] = []
        var index: Int?
        if a.path != b.path {
            aspects.append(.path)
            index = a.path.indices.first { $0 >= b.path.count || a.path[$0] != b.path[$0] } ?? a.path.count
        }
        if a.end != b.end { aspects.append(.end) }
        if a.sent != b.sent { aspects.append(.sent) }
        var writes: [String] = []
        if a.context != b.context {
            aspects.append(.writes)
            differingPaths(a.context, b.context, prefix: "", into: &writes)
        }
        if a.reports != b.reports { aspects.append(.reports) }
        if a.error != b.error { aspects.append(.error) }
        guard !aspects.isEmpty else { return nil }
        return BehaviourDifference(
            input: input, aspects: aspects, divergenceIndex: index,
            before: index.flatMap { $0 < a.path.count ? a.path[$0] : nil },
            after: index.flatMap { $0 < b.path.count ? b.path[$0] : nil },
            changedWrites: writes)
    }

    /// Collects dotted paths where two values differ, going into maps (lists compare whole).
    static func differingPaths(_ a: Value, _ b: Value, prefix: String, into out: inout [String]) {
        guard out.count < writeLimit, a != b else { return }
        if case .map(let x) = a, case .map(let y) = b {
            for key in Set(x.keys).union(y.keys).sorted() {
                differingPaths(
                    x[key] ?? .null, y[key] ?? .null, prefix: prefix.isEmpty ? key : "\(prefix).\(key)", into: &out)
                if out.count >= writeLimit { return }
            }
        } else {
            out.append(prefix.isEmpty ? "(all)" : prefix)
        }
    }

    /// The difference as JSON.
    public var json: Value {
        .map([
            "input": .string(input),
            "differs": .list(aspects.map { .string($0.rawValue) }),
            "first_divergence": divergenceIndex.map { i in
                .map([
                    "step": .int(i + 1), "before": before.map(Value.string) ?? .null,
                    "after": after.map(Value.string) ?? .null,
                ])
            } ?? .null,
            "changed_writes": .list(changedWrites.map(Value.string)),
        ])
    }
}
