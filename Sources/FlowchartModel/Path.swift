/// A context path such as `device.dhcp_server.pools[0].gateway` or `device.resolvers[local.qid]`.
public struct Path: Sendable, Hashable, CustomStringConvertible {
    /// The first name: one of the context roots (`device`, `iface`, `packet`, `event`, `session`,
    /// `local`, `args`, `env`) in a valid chart.
    public var root: String
    /// What follows the root.
    public var segments: [PathSegment]

    public init(root: String, segments: [PathSegment] = []) {
        self.root = root
        self.segments = segments
    }

    /// The most segments a path may have after its root (the parser refuses more; a computed key
    /// counts as one, and its own path may have as many).
    public static let maxSegments = 256

    /// The context roots of `CONVENTIONS.md`.
    public static let roots: [String] = ["device", "iface", "packet", "event", "session", "local", "args", "env"]

    /// The path in the chart notation.
    public var description: String {
        var out = root
        for segment in segments {
            switch segment {
            case .key(let k):
                if Path.isPlainKey(k) {
                    out += "." + k
                } else {
                    out += "["
                    JSON.quote(k, into: &out)
                    out += "]"
                }
            case .index(let i): out += "[\(i)]"
            case .computed(let p): out += "[\(p)]"
            }
        }
        return out
    }

    /// True when `k` can be written after a dot: an identifier or a run of digits.
    public static func isPlainKey(_ k: String) -> Bool {
        guard let first = k.unicodeScalars.first else { return false }
        if k.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) }) { return true }
        return (first == "_" || first.properties.isAlphabetic)
            && k.unicodeScalars.allSatisfy { $0 == "_" || $0.properties.isAlphabetic || ("0"..."9").contains($0) }
    }

    /// Every path this one reads to find its location (the computed keys, at any depth), each key
    /// before the keys nested in it. Linear in the size of the path.
    public var computedKeys: [Path] {
        func keys(_ path: Path) -> [Path] {
            path.segments.compactMap { segment -> Path? in if case .computed(let p) = segment { p } else { nil } }
        }
        // Depth first, in the order written: a key and the keys nested in it before the next key.
        var out: [Path] = []
        var pending = Array(keys(self).reversed())
        while let key = pending.popLast() {
            out.append(key)
            pending.append(contentsOf: keys(key).reversed())
        }
        return out
    }

    /// Parses a path written on its own, e.g. on the command line or under a case's `writes`.
    public static func parse(_ text: String) throws(NotationError) -> Path {
        var parser = NotationParser(text)
        let path = try parser.path()
        try parser.expectEnd()
        return path
    }
}

/// One step of a path after its root.
public indirect enum PathSegment: Sendable, Hashable {
    /// `.name` or `["name"]`: a map member.
    case key(String)
    /// `[3]`: a list element (or, on a map, the member named by the number's decimal text).
    case index(Int)
    /// `[local.qid]`: the member or element named by another path's value.
    case computed(Path)
}
