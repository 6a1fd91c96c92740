import FlowchartModel

/// A URL as the browser's address bar splits it (`http.parse_url`): a missing scheme means http,
/// the port defaults to 80 for http and 443 for https, the path to "/".
struct URLParts {
    var ok: Bool
    var scheme: String
    var host: String
    var port: Int?
    var path: String

    var https: Bool { scheme == "https" }

    var value: Value {
        .map([
            "ok": .bool(ok), "scheme": .string(scheme), "host": .string(host),
            "port": port.map(Value.int) ?? .null, "path": .string(path), "https": .bool(https),
        ])
    }

    /// Splits `text`; `ok` is false for a scheme other than http/https, an empty host or a bad port.
    init(_ text: String) {
        var rest = Substring(text)
        while let f = rest.first, f == " " || f == "\t" { rest = rest.dropFirst() }
        while let l = rest.last, l == " " || l == "\t" { rest = rest.dropLast() }
        scheme = "http"
        if let sep = rest.range(of: "://") {
            scheme = rest[..<sep.lowerBound].lowercased()
            rest = rest[sep.upperBound...]
        }
        // A fragment never travels in a request.
        if let hash = rest.firstIndex(of: "#") { rest = rest[..<hash] }
        // The authority ends at the first "/" or "?".
        let end = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? rest.endIndex
        var authority = rest[..<end]
        let tail = rest[end...]
        path = tail.isEmpty ? "/" : tail.hasPrefix("/") ? String(tail) : "/" + tail
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        var portText: Substring? = nil
        if authority.hasPrefix("[") {
            // An IPv6 literal: [2001:db8::1]:8080
            if let close = authority.firstIndex(of: "]") {
                host = String(authority[authority.index(after: authority.startIndex)..<close])
                let after = authority[authority.index(after: close)...]
                if after.hasPrefix(":") { portText = after.dropFirst() } else if !after.isEmpty { portText = after }
            } else {
                host = ""
            }
        } else if authority.filter({ $0 == ":" }).count > 1 {
            // A bare IPv6 address (brackets left out): all of it is the host.
            host = String(authority)
        } else if let colon = authority.lastIndex(of: ":") {
            host = String(authority[..<colon])
            portText = authority[authority.index(after: colon)...]
        } else {
            host = String(authority)
        }
        let defaultPort = scheme == "https" ? 443 : 80
        var portOK = true
        if let p = portText {
            if p.isEmpty {
                port = defaultPort
            } else if p.allSatisfy({ $0.isASCII && $0.isNumber }), let n = Int(p), (1...65535).contains(n) {
                // Digits only: Int("+80") would take a sign, which no URL port has.
                port = n
            } else {
                port = nil
                portOK = false
            }
        } else {
            port = defaultPort
        }
        ok = (scheme == "http" || scheme == "https") && !host.isEmpty && portOK
    }
}

extension URLParts {
    /// `http.file_name`: the path without its leading "/" and without any query or fragment;
    /// nothing left means the default page index.html.
    static func fileName(_ path: String) -> String {
        var p = Substring(path)
        if let cut = p.firstIndex(where: { $0 == "?" || $0 == "#" }) { p = p[..<cut] }
        if p.hasPrefix("/") { p = p.dropFirst() }
        return p.isEmpty ? "index.html" : String(p)
    }

    /// `http.mime_type`: the media type by extension (case-insensitive).
    static func mimeType(_ name: String) -> String {
        guard let dot = name.lastIndex(of: "."), !name[name.index(after: dot)...].contains("/") else {
            return "application/octet-stream"
        }
        switch name[name.index(after: dot)...].lowercased() {
        case "html", "htm": return "text/html"
        case "txt": return "text/plain"
        case "css": return "text/css"
        case "js": return "application/javascript"
        case "jpg", "jpeg": return "image/jpeg"
        case "png": return "image/png"
        default: return "application/octet-stream"
        }
    }
}
