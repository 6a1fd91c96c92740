/// Domain-name text rules of `spec/dns.md`: names compare without regard to case and without a
/// trailing dot; the root is `"."`.
enum DNSName {
    /// Lower case, one trailing dot removed; the root stays `"."`.
    static func normalize(_ name: String) -> String {
        if name == "." { return "." }
        var n = name.lowercased()
        if n.hasSuffix(".") { n.removeLast() }
        return n.isEmpty ? "." : n
    }

    /// Equal after `normalize`.
    static func same(_ a: String, _ b: String) -> Bool { normalize(a) == normalize(b) }

    /// RFC 1123 §2.1 host-name syntax as the spec words it: labels of 1–63 letters, digits or
    /// hyphens, no hyphen at either end of a label, no empty label (one trailing dot allowed),
    /// at most 253 characters without that dot. The root alone is not a host name.
    static func isValid(_ name: String) -> Bool {
        var n = Substring(name)
        if n.hasSuffix(".") { n = n.dropLast() }
        guard !n.isEmpty, n.utf8.count <= 253 else { return false }
        for label in n.split(separator: ".", omittingEmptySubsequences: false) {
            guard (1...63).contains(label.utf8.count), label.first != "-", label.last != "-" else { return false }
            guard
                label.unicodeScalars.allSatisfy({
                    ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "-"
                })
            else { return false }
        }
        return true
    }

    /// One label removed: `www.example.com` → `example.com`, `com` → `.`, `.` → `.`.
    static func parent(_ name: String) -> String {
        var n = Substring(name)
        if n.hasSuffix(".") { n = n.dropLast() }
        guard let dot = n.firstIndex(of: ".") else { return "." }
        let rest = n[n.index(after: dot)...]
        return rest.isEmpty ? "." : String(rest)
    }

    /// `name` equals `zone` or lies below it (`a.b.example.com` is below `example.com`; everything is below `.`).
    static func isAtOrBelow(_ name: String, _ zone: String) -> Bool {
        let n = normalize(name)
        let z = normalize(zone)
        if z == "." || n == z { return true }
        return n.hasSuffix("." + z)
    }

    /// A dotted-quad IPv4 address or an IPv6 address literal (optionally in brackets, with a zone index).
    static func isAddress(_ text: String) -> Bool {
        if isDottedQuad(Substring(text)) { return true }
        var t = Substring(text)
        if t.hasPrefix("["), t.hasSuffix("]") { t = t.dropFirst().dropLast() }
        if let percent = t.firstIndex(of: "%") {
            guard t.index(after: percent) < t.endIndex else { return false }
            t = t[..<percent]
        }
        return isIPv6(t)
    }

    /// Four decimal numbers 0–255 separated by dots, ASCII digits only (no sign, no other script's digits).
    static func isDottedQuad(_ text: Substring) -> Bool {
        text.unicodeScalars.allSatisfy { ("0"..."9").contains($0) || $0 == "." } && IPv4.parse(String(text)) != nil
    }

    /// RFC 4291 §2.2 text forms: eight groups of 1–4 hex digits, `::` once for a run of zero
    /// groups, and an IPv4 dotted quad in place of the last two groups.
    static func isIPv6(_ text: Substring) -> Bool {
        guard text.contains(":") else { return false }
        var halves: [String] = []
        var rest = text
        while let r = rest.firstRange(of: "::") {
            halves.append(String(rest[..<r.lowerBound]))
            rest = rest[r.upperBound...]
        }
        halves.append(String(rest))
        guard halves.count <= 2 else { return false }
        func groups(_ part: String, allowV4: Bool) -> Int? {
            if part.isEmpty { return 0 }
            let items = part.split(separator: ":", omittingEmptySubsequences: false)
            var count = 0
            for (i, item) in items.enumerated() {
                if allowV4, i == items.count - 1, item.contains(".") {
                    guard isDottedQuad(item) else { return nil }
                    count += 2
                } else {
                    guard (1...4).contains(item.count),
                        item.unicodeScalars.allSatisfy({ $0.isASCII && Character($0).isHexDigit })
                    else { return nil }
                    count += 1
                }
            }
            return count
        }
        if halves.count == 1 {
            return groups(halves[0], allowV4: true) == 8
        }
        guard let left = groups(halves[0], allowV4: false), let right = groups(halves[1], allowV4: true) else {
            return false
        }
        return left + right <= 7
    }
}
