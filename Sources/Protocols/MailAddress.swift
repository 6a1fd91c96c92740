import FlowchartModel

/// A mail address as the SMTP server reads it from a MAIL or RCPT argument.
struct MailAddress {
    var address: String
    var user: String
    /// The part after the last "@", in lower case; "" when there is no "@".
    var domain: String

    var value: Value { .map(["address": .string(address), "user": .string(user), "domain": .string(domain)]) }

    init(address: String) {
        self.address = address
        if let at = address.lastIndex(of: "@") {
            user = String(address[..<at])
            domain = address[address.index(after: at)...].lowercased()
        } else {
            user = address
            domain = ""
        }
    }

    /// Takes `x` out of `FROM:<x>` or `TO:<x>` (the keyword and the angle brackets are optional;
    /// ESMTP parameters after the path are ignored).
    init(argument: String) {
        var s = Substring(argument)
        func trim() {
            while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
            while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        }
        trim()
        // The keyword: letters followed by ":" before any "<" or "@".
        if let colon = s.firstIndex(of: ":"), s[..<colon].allSatisfy({ $0.isASCII && $0.isLetter }),
            !s[..<colon].isEmpty
        {
            s = s[s.index(after: colon)...]
            trim()
        }
        if s.hasPrefix("<") {
            let inner = s.dropFirst()
            s = inner[..<(inner.firstIndex(of: ">") ?? inner.endIndex)]
        } else if let space = s.firstIndex(where: { $0 == " " || $0 == "\t" }) {
            s = s[..<space]
        }
        trim()
        self.init(address: String(s))
    }

    /// `smtp.domain_of`: the part after the (last) "@", "" when there is none; case kept.
    static func domainOf(_ address: String) -> String {
        guard let at = address.lastIndex(of: "@") else { return "" }
        return String(address[address.index(after: at)...])
    }

    /// `smtp.same_domain`: equal without regard to case (a trailing dot ignored).
    static func sameDomain(_ a: String, _ b: String) -> Bool {
        func norm(_ s: String) -> String { (s.hasSuffix(".") ? String(s.dropLast()) : s).lowercased() }
        return !a.isEmpty && norm(a) == norm(b)
    }
}
