import FlowEngine
import FlowchartModel

extension ProtocolPack {
    /// AAA login method lists: the `aaa.*` primitives of `spec/aaa.md`'s catalogue (no messages of its own;
    /// RADIUS and TACACS+ carry them).
    public static let aaa = ProtocolPack(name: "aaa", primitives: Registry.aaa, messages: [:])
}

extension Registry {
    /// The `aaa.*` primitives of `spec/aaa.md`'s catalogue.
    static let aaa: [Primitive] = [
        Primitive(
            "aaa.method_at", .function, [.init("methods", .list), .init("index", .int)], result: .string,
            "the method name at index when 0 <= index < length, else null"
        ) { inv throws(PrimitiveError) in
            let methods = try inv.list(0)
            guard let index = try inv.value(1).int, methods.indices.contains(index) else { return .none }
            return .value(methods[index])
        },
        Primitive(
            "aaa.next_server", .function, [.init("servers", .list, passing: .path), .init("tried", .list)],
            result: .map,
            "the first server (bound as an element of servers), in list order, whose ip is not in tried; null when every one was tried"
        ) { inv throws(PrimitiveError) in
            let servers = try inv.list(0)
            let tried = try inv.list(1)
            // spec/aaa.md: "element of servers or null"; `as local.server` binds the element itself, as find does.
            for (i, server) in servers.enumerated() where !tried.contains(where: { $0.looselyEquals(server["ip"]) }) {
                guard case .map = server else {
                    throw PrimitiveError("aaa.next_server: a server entry is a \(server.typeName), not a map")
                }
                return try inv.element(ofList: 0, at: i)
            }
            return .none
        },
        Primitive(
            "aaa.local_account", .function, [.init("users", .map), .init("name", .string)], result: .map,
            "the local account {password, secret, privilege} stored under the user name, else null"
        ) { inv throws(PrimitiveError) in
            let users = try inv.map(0)
            guard let name = try inv.optionalString(1), let account = users[name], !account.isNull else { return .none }
            guard case .map = account else {
                throw PrimitiveError("aaa.local_account: the account of \(name) is a \(account.typeName), not a map")
            }
            return .value(account)
        },
        Primitive(
            "aaa.password_ok", .predicate, [.init("account", .map), .init("password", .string)], result: .bool,
            "the password equals the account's secret when one is set (non-empty), else its password; compared as eq compares, so a missing password equals only a missing one"
        ) { inv throws(PrimitiveError) in
            let account = Value.map(try inv.map(0))
            let given = try inv.value(1)
            let secret = account["secret"]
            let secretSet: Bool
            switch secret {
            case .null: secretSet = false
            case .string(let s): secretSet = !s.isEmpty
            case .list(let l): secretSet = !l.isEmpty
            case .map(let m): secretSet = !m.isEmpty
            default: secretSet = true
            }
            let stored = secretSet ? secret : account["password"]
            // spec/aaa.md: `password == account.secret` / `password == account.password` with eq's null rule.
            switch (given, stored) {
            case (.string, .int), (.string, .double), (.int, .string), (.double, .string):
                return .value(.bool(given.text == stored.text))
            default: return .value(.bool(given.looselyEquals(stored)))
            }
        },
    ]
}
