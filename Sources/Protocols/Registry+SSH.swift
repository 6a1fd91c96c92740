import FlowEngine
import FlowchartModel

extension ProtocolPack {
    /// SSH: the `ssh.*` primitives of `spec/telnet-ssh.md`'s catalogue and the message types (TCP 22).
    public static let ssh = ProtocolPack(
        name: "ssh", primitives: Registry.ssh,
        messages: ["SSH_VERSION", "SSH_AUTH", "SSH_DATA"],
        protocol: "ssh", transport: "tcp")
}

extension Registry {
    /// The server versions IOS can be configured with (`ip ssh version`), and what each announces
    /// (RFC 4253 §4.2; "1.99" speaks 1 and 2, §5.1). A missing setting is the IOS default "1.99".
    static let sshAnnounced: [String: String] = ["2": "2.0", "1.99": "1.99", "1": "1.5"]

    static func sshServerVersion(_ value: String?, _ prim: String) throws(PrimitiveError) -> String {
        let v = value ?? "1.99"
        switch v {
        case "2", "2.0": return "2"
        case "1.99": return "1.99"
        case "1", "1.5": return "1"
        default: throw PrimitiveError("\(prim): the server version must be \"2\", \"1.99\" or \"1\", not \"\(v)\"")
        }
    }

    /// The `ssh.*` primitives of `spec/telnet-ssh.md`'s catalogue.
    static let ssh: [Primitive] = [
        Primitive(
            "ssh.version_string", .function, [.init("configured", .string)], result: .string,
            "the version a server announces: \"2\" gives \"2.0\", \"1.99\" gives \"1.99\", \"1\" gives \"1.5\" (null: the default 1.99)"
        ) { inv throws(PrimitiveError) in
            let configured = try sshServerVersion(try inv.optionalString(0), "ssh.version_string")
            return .value(.string(sshAnnounced[configured]!))
        },
        Primitive(
            "ssh.version_ok", .predicate, [.init("server", .string), .init("client", .string)], result: .bool,
            "the server (\"2\", \"1.99\", \"1\") can speak the client's version: 2 only 2, 1.99 both, 1 only 1; a client 1.99 counts as either; a null or unreadable client version is refused"
        ) { inv throws(PrimitiveError) in
            let server = try sshServerVersion(try inv.optionalString(0), "ssh.version_ok")
            guard let raw = try inv.optionalString(1) else { return .value(false) }
            let client = String(raw.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
            let majors: Set<Int>
            if client == "1.99" {
                majors = [1, 2]
            } else if let major = Int(
                client.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
            {
                majors = [major]
            } else {
                return .value(false)
            }
            switch server {
            case "2": return .value(.bool(majors.contains(2)))
            case "1": return .value(.bool(majors.contains(1)))
            default: return .value(.bool(!majors.isDisjoint(with: [1, 2])))
            }
        },
    ]
}
