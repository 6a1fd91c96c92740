/// Mutates text byte by byte: tokens of the chart notation and of JSON inserted, spans deleted or
/// repeated, numbers and names replaced, brackets nested tens of thousands deep.
struct TextMutator {
    /// Pieces of the two grammars, well-formed and not.
    static let tokens: [String] = [
        "[", "]", "{", "}", "(", ")", "\"", "\\", ",", ":", ";", ".", "->", "yes -> E1", "no -> ", " as local.x",
        "local.a[local.b]",
        "01", "1.", ".5", "+1", "-", "1e400", "-1e400", "1e-400", "99999999999999999999", "-0", "1E+2", "0x1F", "NaN",
        "Infinity",
        "null", "true", "nul", "\"\\u0000\"", "\"\\ud800\"", "\\u12", "\u{0}", "\n", "\n  ", "\t", "é", "🙂",
        "set(local.x, 1)", "eq(", "all(", "find(device.x, where: {a: 1}) as local.y", "{local.x}", "{{",
        "D1 decision \"q\" [eq(1, 1)] yes -> E2 no -> E2\n", "A9 action { set(local.x, [local.x]) } -> A9\n",
        "E99 end dropped\n",
        "chart ../../x\n", "chart .hidden\n", "chart a b\n", "protocol: /etc\n", "role: a..b\n", "trigger: \u{0}\n",
    ]

    static func mutate(_ text: String, using rng: inout SeededGenerator) -> String {
        var bytes = Array(text.utf8)
        let rounds = Int.random(in: 1...3, using: &rng)
        for _ in 0..<rounds { mutateOnce(&bytes, using: &rng) }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func mutateOnce(_ bytes: inout [UInt8], using rng: inout SeededGenerator) {
        let at = bytes.isEmpty ? 0 : Int.random(in: 0...bytes.count, using: &rng)
        switch Int.random(in: 0..<10, using: &rng) {
        case 0..<4:
            bytes.insert(contentsOf: Array(tokens.randomElement(using: &rng)!.utf8), at: at)
        case 4:
            guard !bytes.isEmpty else { return }
            let from = min(at, bytes.count - 1)
            bytes.removeSubrange(from..<min(bytes.count, from + Int.random(in: 1...40, using: &rng)))
        case 5:
            guard !bytes.isEmpty else { return }
            let from = min(at, bytes.count - 1)
            let span = Array(bytes[from..<min(bytes.count, from + Int.random(in: 1...80, using: &rng))])
            for _ in 0..<Int.random(in: 1...50, using: &rng) { bytes.insert(contentsOf: span, at: from) }
        case 6:
            // Deep nesting: many opening brackets, sometimes closed again.
            let open = ["[", "{", "(", "local.a["].randomElement(using: &rng)!
            let count = [10, 200, 600, 5_000, 50_000].randomElement(using: &rng)!
            var piece = String(repeating: open, count: count)
            if rng.chance(1, in: 2) {
                let close = open == "{" ? "}" : open == "(" ? ")" : "]"
                piece += String(repeating: close, count: count)
            }
            bytes.insert(contentsOf: Array(piece.utf8), at: at)
        case 7:
            // A run of digits becomes a number at a limit.
            guard let digit = bytes.indices.first(where: { $0 >= at && bytes[$0] >= 0x30 && bytes[$0] <= 0x39 }) else {
                return
            }
            var end = digit
            while end < bytes.count, bytes[end] >= 0x30 && bytes[end] <= 0x39 { end += 1 }
            let numbers = [
                "1e300", "9223372036854775807", "9223372036854775808", "-9223372036854775809", "1e400", "0.5", "65536",
                "4294967296",
            ]
            bytes.replaceSubrange(digit..<end, with: Array(numbers.randomElement(using: &rng)!.utf8))
        case 8:
            guard !bytes.isEmpty else { return }
            bytes[min(at, bytes.count - 1)] = UInt8.random(in: 0...255, using: &rng)
        default:
            // A long segment path or a long string.
            let piece =
                rng.chance(1, in: 2)
                ? "local" + String(repeating: ".a", count: [300, 25_000].randomElement(using: &rng)!)
                : "\"" + String(repeating: "x", count: 100_000) + "\""
            bytes.insert(contentsOf: Array(piece.utf8), at: at)
        }
    }
}
