import FlowchartModel

/// Mutates values the way hostile or careless input does: numbers at and past every limit (huge,
/// non-finite, fractional), values of the wrong type, long strings, malformed addresses, deep
/// nesting and large collections, at random places or at the paths a chart reads.
struct ValueMutator {
    /// Numbers that sit on or past a limit somewhere in the engine.
    static let numbers: [Value] = [
        .int(.max), .int(.min), .int(.max - 1), .int(0), .int(-1), .int(1), .int(65535), .int(65536), .int(-65536),
        .int(4_294_967_295), .int(4_294_967_296), .int(1 << 53), .int(255), .int(256),
        .double(1e300), .double(-1e300), .double(1e15), .double(9_007_199_254_740_994), .double(9.3e18),
        .double(-9.3e18),
        .double(0.5), .double(-0.0), .double(1e-300), .double(.greatestFiniteMagnitude),
        .double(-.greatestFiniteMagnitude),
        .double(.infinity), .double(-.infinity), .double(.nan), .double(4.5e15), .double(86400.5),
    ]

    /// Strings that are malformed where a name, an address, a MAC, a path or a template is expected.
    static let strings: [Value] = [
        "", " ", "zz:zz:zz:zz:zz:zz", "00:00:00:00:00:00", "00:0A:41:12:34", "999.999.999.999", "1.2.3", "::::", ":::1",
        "fe80::1%eth0", "../../x", "/etc/passwd", ".hidden", "a\u{0}b", "\u{0}", "1", "-1", "1e300", "NaN", "0x10",
        "{local.x}", "{{", "}", "%s%n", "é漢🙂", "\u{FFFF}", "0.0.0.0", "255.255.255.255", "::1", "2001:db8::1",
        "local.a[local.a]", "DHCPDISCOVER", "DNS_QUERY", "tcp", "udp", "a:1:2", "[::1]:99999", "1.2.3.4:-1",
        .string(String(repeating: "a", count: 10_000)), .string(String(repeating: "[", count: 2_000)),
        .string(String(repeating: "a.", count: 3_000)), .string(String(repeating: "é", count: 4_000)),
    ]

    /// Replaces the value at a chart path or at a random place, or reshapes a random part.
    static func mutate(_ value: Value, paths: [Path], using rng: inout SeededGenerator) -> Value {
        var out = value
        let rounds = Int.random(in: 1...4, using: &rng)
        for _ in 0..<rounds {
            if !paths.isEmpty, rng.chance(1, in: 2) {
                let path = paths.randomElement(using: &rng)!
                let keys = [path.root] + path.segments.map(key)
                out = replacing(out, at: keys[...]) { old in interesting(like: old, using: &rng) }
            } else {
                out = mutateSomewhere(out, depth: 0, using: &rng)
            }
        }
        return out
    }

    private static func key(_ segment: PathSegment) -> String {
        switch segment {
        case .key(let k): k
        case .index(let i): String(i)
        case .computed(let p): p.description
        }
    }

    /// Sets the value at `keys` (lists indexed by a key's number), creating maps on the way.
    static func replacing(_ node: Value, at keys: ArraySlice<String>, _ change: (Value) -> Value) -> Value {
        guard let key = keys.first else { return change(node) }
        if case .list(var items) = node, let i = Int(key), items.indices.contains(i) {
            items[i] = replacing(items[i], at: keys.dropFirst(), change)
            return .list(items)
        }
        var entries = node.map ?? [:]
        entries[key] = replacing(entries[key] ?? .null, at: keys.dropFirst(), change)
        return .map(entries)
    }

    private static func mutateSomewhere(_ node: Value, depth: Int, using rng: inout SeededGenerator) -> Value {
        switch node {
        case .list(var items) where !items.isEmpty && rng.chance(3, in: 4):
            let i = Int.random(in: 0..<items.count, using: &rng)
            items[i] = mutateSomewhere(items[i], depth: depth + 1, using: &rng)
            return .list(items)
        case .map(var entries) where !entries.isEmpty && rng.chance(3, in: 4):
            let key = entries.keys.sorted().randomElement(using: &rng)!
            switch Int.random(in: 0..<10, using: &rng) {
            case 0: entries.removeValue(forKey: key)
            case 1: entries[key + "_x"] = entries[key]
            default: entries[key] = mutateSomewhere(entries[key]!, depth: depth + 1, using: &rng)
            }
            return .map(entries)
        default:
            return interesting(like: node, using: &rng)
        }
    }

    /// A value that stresses whatever reads `old`: a neighbour of the same type, or another type.
    static func interesting(like old: Value, using rng: inout SeededGenerator) -> Value {
        switch Int.random(in: 0..<12, using: &rng) {
        case 0..<3: return numbers.randomElement(using: &rng)!
        case 3..<6: return strings.randomElement(using: &rng)!
        case 6: return [.null, .bool(true), .bool(false), .list([]), .map([:])].randomElement(using: &rng)!
        case 7: return nested(old, levels: Int.random(in: 1...600, using: &rng), using: &rng)
        case 8: return large(using: &rng)
        case 9:
            if let n = old.number { return .double(n * [-1, 2, 1e10, 1e300, 0.5].randomElement(using: &rng)!) }
            return numbers.randomElement(using: &rng)!
        case 10:
            if let s = old.string, !s.isEmpty {
                var chars = Array(s.unicodeScalars)
                chars[Int.random(in: 0..<chars.count, using: &rng)] = ["z", ":", ".", "\u{0}", " ", "9"].randomElement(
                    using: &rng)!
                return .string(String(String.UnicodeScalarView(chars)))
            }
            return strings.randomElement(using: &rng)!
        default:
            return .map(["type": strings.randomElement(using: &rng)!, "value": numbers.randomElement(using: &rng)!])
        }
    }

    /// `value` wrapped in `levels` lists or maps.
    private static func nested(_ value: Value, levels: Int, using rng: inout SeededGenerator) -> Value {
        var out = value
        let useMaps = rng.chance(1, in: 2)
        for _ in 0..<levels { out = useMaps ? .map(["k": out]) : .list([out]) }
        return out
    }

    private static func large(using rng: inout SeededGenerator) -> Value {
        let count = Int.random(in: 1_000...5_000, using: &rng)
        if rng.chance(1, in: 2) { return .list((0..<count).map { .int($0) }) }
        var entries: [String: Value] = [:]
        for i in 0..<count {
            entries[String(i)] = .map(["ip": .string("10.0.\(i / 256 % 256).\(i % 256)"), "mac": "00:0A:41:12:34:56"])
        }
        return .map(entries)
    }
}
