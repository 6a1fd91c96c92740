import FlowchartModel

/// A path of an `expect` entry: dotted keys, bracketed indexes or quoted keys; a dotted number is
/// a map key or a list index (`device.resolvers.4098.attempts`).
struct ExpectPath {
    enum Step {
        case key(String)
        case index(Int)
    }
    let steps: [Step]

    struct Bad: Error {}

    static func parse(_ text: String) throws(Bad) -> ExpectPath {
        var steps: [Step] = []
        var chars = Array(text)[...]
        func name() -> String {
            var s = ""
            while let c = chars.first, c != ".", c != "[" {
                s.append(c)
                chars.removeFirst()
            }
            return s
        }
        let root = name()
        guard root == "device" else { throw Bad() }
        while let c = chars.first {
            chars.removeFirst()
            if c == "." {
                let n = name()
                guard !n.isEmpty else { throw Bad() }
                steps.append(.key(n))
            } else {
                var inner = ""
                while let x = chars.first, x != "]" {
                    inner.append(x)
                    chars.removeFirst()
                }
                guard chars.first == "]" else { throw Bad() }
                chars.removeFirst()
                if inner.count >= 2, inner.first == "\"", inner.last == "\"" {
                    steps.append(.key(String(inner.dropFirst().dropLast())))
                } else if let i = Int(inner) {
                    steps.append(.index(i))
                } else {
                    throw Bad()
                }
            }
        }
        return ExpectPath(steps: steps)
    }

    func read(_ device: Value) -> Value {
        var v = device
        for step in steps {
            switch (step, v) {
            case (.key(let k), .map(let m)): v = m[k] ?? .null
            case (.key(let k), .list(let l)): v = Int(k).flatMap { l.indices.contains($0) ? l[$0] : nil } ?? .null
            case (.index(let i), .list(let l)): v = l.indices.contains(i) ? l[i] : .null
            case (.index(let i), .map(let m)): v = m[String(i)] ?? .null
            default: return .null
            }
        }
        return v
    }
}

/// The outcome of one `expect` entry.
public struct ExpectationResult: Sendable {
    public let expectation: Value
    public let passed: Bool
    /// What was found, when it failed.
    public let found: Value?
    /// One line saying what failed.
    public let summary: String

    public var json: Value {
        guard case .map(var m) = expectation else { return expectation }
        m["passed"] = .bool(passed)
        if let found, !passed { m["found"] = found }
        return .map(m)
    }
}

extension Simulation {
    /// Checks the scenario's `expect` list against the state and events after the run.
    public func checkExpectations() -> [ExpectationResult] {
        scenario.expectations.map(check)
    }

    func check(_ e: Scenario.Expectation) -> ExpectationResult {
        switch e {
        case .equals(let device, let path, let value):
            let found = (try? ExpectPath.parse(path))?.read(devices[index[device]!].device) ?? .null
            let ok = found.looselyEquals(value)
            return ExpectationResult(
                expectation: ["device": .string(device), "path": .string(path), "equals": value], passed: ok,
                found: found, summary: "\(device) \(path) = \(JSON.encode(found)), expected \(JSON.encode(value))")
        case .matches(let device, let path, let pattern):
            let found = (try? ExpectPath.parse(path))?.read(devices[index[device]!].device) ?? .null
            let ok = Simulation.search(pattern, found.text)
            return ExpectationResult(
                expectation: ["device": .string(device), "path": .string(path), "matches": .string(pattern)],
                passed: ok,
                found: found, summary: "\(device) \(path) = \(JSON.encode(found)), expected to match /\(pattern)/")
        case .delivered(let type, let from, let to, let count, let lo, let hi):
            let n = events.filter { ev in
                ev.kind == .deliver && type.map { $0 == ev.type } ?? true && from.map { $0 == ev.from } ?? true
                    && to.map { $0 == ev.to } ?? true
            }.count
            let ok = (count.map { n == $0 } ?? true) && (lo.map { n >= $0 } ?? true) && (hi.map { n <= $0 } ?? true)
            var what: [String: Value] = [:]
            if let type { what["type"] = .string(type) }
            if let from { what["from"] = .string(from) }
            if let to { what["to"] = .string(to) }
            var x: [String: Value] = ["delivered": .map(what)]
            if let count { x["count"] = .int(count) }
            if let lo { x["min"] = .int(lo) }
            if let hi { x["max"] = .int(hi) }
            let want = [count.map { "exactly \($0)" }, lo.map { "at least \($0)" }, hi.map { "at most \($0)" }]
                .compactMap { $0 }.joined(separator: ", ")
            return ExpectationResult(
                expectation: .map(x), passed: ok, found: .int(n),
                summary:
                    "\(type ?? "any message") from \(from ?? "anyone") to \(to ?? "anyone"): delivered \(n) times, expected \(want)"
            )
        case .report(let device, let pattern):
            let lines = reports(of: device)
            let ok = lines.contains { Simulation.search(pattern, $0) }
            return ExpectationResult(
                expectation: ["report": ["device": .string(device), "matches": .string(pattern)]], passed: ok,
                found: .list(lines.map(Value.string)),
                summary:
                    "\(device) reported no line matching /\(pattern)/ (it reported \(lines.count) line\(lines.count == 1 ? "" : "s"))"
            )
        }
    }

    static func search(_ pattern: String, _ text: String) -> Bool {
        guard let regex = try? Regex(pattern) else { return false }
        return text.contains(regex)
    }
}
