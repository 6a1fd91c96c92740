import FlowEngine
import FlowchartModel

extension ProtocolPack {
    /// The vty lines of an IOS device, shared by the Telnet and SSH servers (`spec/telnet-ssh.md`):
    /// `vty.account_ok` and `cli.execute`, the stand-in for the IOS command interpreter. No
    /// message types of its own (the sessions answer with TELNET_DATA or SSH_DATA).
    public static let vty = ProtocolPack(name: "vty", primitives: Registry.vty, messages: [:])
}

extension Registry {
    /// The vty primitives of `spec/telnet-ssh.md`'s catalogue.
    static let vty: [Primitive] = [
        Primitive(
            "vty.account_ok", .predicate, [.init("users", .map), .init("user", .string), .init("given", .string)],
            result: .bool,
            "users[user] exists and given equals its secret, or its password when no secret is set (null or \"\")"
        ) { inv throws(PrimitiveError) in
            let users = try inv.map(0)
            guard let user = try inv.optionalString(1), let given = try inv.optionalString(2),
                case .map(let account)? = users[user]
            else { return .value(false) }
            let secret = account["secret"] ?? .null
            let expected = secret.isNull || secret == .string("") ? (account["password"] ?? .null) : secret
            guard !expected.isNull else { return .value(false) }
            return .value(.bool(expected.text == given))
        },
        Primitive(
            "cli.execute", .function, [.init("line", .string)], result: .map,
            "run one line in a minimal IOS command interpreter for the bound session: {output, prompt} (see CLIExecution)"
        ) { inv throws(PrimitiveError) in
            try CLIExecution.run(inv, line: try inv.optionalString(0) ?? "")
        },
    ]
}
