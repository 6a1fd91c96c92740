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
        Primitive("aaa.method_at", .function, [.init("methods", .list), .init("index", .int)], result: .string,
                  "the method name at index when 0 <= index < length, else null") { inv throws(PrimitiveError) in
            let methods = try inv.list(0)
            guard let index = try inv.value(1).int, methods.indices.contains(index) else { return .none }
            return .value(methods[index])
        },
        Primitive("aaa.next_server", .function, [.init("servers", .list), .init("tried", .list)], result: .map,
                  "the first server, in list order, whose ip is not in tried; null when every one was tried") { inv throws(PrimitiveError) in
            let servers = try inv.list(0)
            let tried = try inv.list(1)
            // A copy of the element: the engine offers protocol primitives no way to bind an element
            // itself (Location is built only inside FlowEngine); aaa.login.start only reads it.
            for server in servers where !tried.contains(where: { $0.looselyEquals(server["ip"]) }) {
                guard case .map = server else { throw PrimitiveError("aaa.next_server: a server entry is a \(server.typeName), not a map") }
                return .value(server)
            }
            return .none
        },
        Primitive("aaa.local_account", .function, [.init("users", .map), .init("name", .string)], result: .map,
                  "the local account {password, secret, privilege} stored under the user name, else null") { inv throws(PrimitiveError) in
            let users = try inv.map(0)
            guard let name = try inv.optionalString(1), let account = users[name], !account.isNull else { return .none }
            guard case .map = account else { throw PrimitiveError("aaa.local_account: the account of \(name) is a \(account.typeName), not a map") }
            return .value(account)
        },
        Primitive("aaa.password_ok", .predicate, [.init("account", .map), .init("password", .string)], result: .bool,
                  "the password equals the account's secret when one is set, else its password (a missing password matches nothing)") { inv throws(PrimitiveError) in
            let account = Value.map(try inv.map(0))
            guard let given = try inv.optionalString(1) else { return .value(false) }
            if let secret = account["secret"].string, !secret.isEmpty { return .value(.bool(given == secret)) }
            guard let password = account["password"].string else { return .value(false) }
            return .value(.bool(given == password))
        },
    ]
}
