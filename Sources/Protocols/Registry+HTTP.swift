import FlowEngine
import FlowchartModel

extension ProtocolPack {
    /// HTTP and HTTPS: the primitives of `spec/http.md`'s catalogue and the message types (TCP 80
    /// and 443). The catalogue's `tcp.*` and `dns.is_address` come from the engine and the DNS pack.
    public static let http = ProtocolPack(
        name: "http", primitives: Registry.http,
        messages: ["HTTP_REQUEST", "HTTP_RESPONSE"],
        protocol: "http", transport: "tcp")
}

extension Registry {
    /// The `http.*` primitives of `spec/http.md`'s catalogue.
    static let http: [Primitive] = [
        Primitive(
            "http.parse_url", .function, [.init("url", .string)], result: .map,
            "{ok, scheme, host, port, path, https} of a URL typed in the browser: scheme http when missing, port 80 (http) or 443 (https) unless given, path \"/\" when missing; ok is false for another scheme, an empty host or a bad port"
        ) { inv throws(PrimitiveError) in
            guard let url = try inv.optionalString(0) else {
                return .value(
                    .map(["ok": false, "scheme": .null, "host": .null, "port": .null, "path": .null, "https": false]))
            }
            return .value(URLParts(url).value)
        },
        Primitive(
            "http.file_name", .function, [.init("path", .string)], result: .string,
            "the request path without its leading \"/\" and any query after \"?\"; an empty result becomes index.html"
        ) { inv throws(PrimitiveError) in
            .value(.string(URLParts.fileName(try inv.optionalString(0) ?? "")))
        },
        Primitive(
            "http.mime_type", .function, [.init("name", .string)], result: .string,
            "the media type by extension: .html/.htm text/html, .txt text/plain, .css text/css, .js application/javascript, .jpg/.jpeg image/jpeg, .png image/png, else application/octet-stream"
        ) { inv throws(PrimitiveError) in
            .value(.string(URLParts.mimeType(try inv.optionalString(0) ?? "")))
        },
    ]
}
