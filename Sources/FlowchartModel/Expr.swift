/// An argument expression of the call notation.
public indirect enum Expr: Sendable, Hashable {
    /// `"OFFER"`, `67`, `true`, `null`.
    case literal(Value)
    /// A context path, read when the call runs.
    case path(Path)
    /// A string with `{path}` placeholders.
    case template([TemplatePart])
    /// `[a, b]`, whose elements may be paths.
    case list([Expr])
    /// `{key: value}`, whose values may be paths.
    case map([MapEntry])
    /// A nested call, e.g. the predicates inside `all(...)`.
    case call(Call)

    /// Every path the expression reads, at any depth (placeholders and computed keys included).
    public var paths: [Path] {
        switch self {
        case .literal: []
        case .path(let p): [p]
        case .template(let parts): parts.compactMap { if case .path(let p) = $0 { p } else { nil } }
        case .list(let items): items.flatMap(\.paths)
        case .map(let entries): entries.flatMap(\.value.paths)
        case .call(let call): call.arguments.flatMap(\.value.paths) + (call.result.map { [$0] } ?? [])
        }
    }

    /// The literal value, if the expression holds no paths or calls.
    public var constant: Value? {
        switch self {
        case .literal(let v): return v
        case .path, .template, .call: return nil
        case .list(let items):
            var out: [Value] = []
            for item in items {
                guard let v = item.constant else { return nil }
                out.append(v)
            }
            return .list(out)
        case .map(let entries):
            var out: [String: Value] = [:]
            for e in entries {
                guard let v = e.value.constant else { return nil }
                out[e.key] = v
            }
            return .map(out)
        }
    }
}

/// A piece of a string template.
public enum TemplatePart: Sendable, Hashable {
    case text(String)
    case path(Path)
}

/// A `key: value` entry of a map literal.
public struct MapEntry: Sendable, Hashable {
    public var key: String
    public var value: Expr
    public init(key: String, value: Expr) {
        self.key = key
        self.value = value
    }
}

/// A primitive or chart call: `name(arg, key: arg) as path`.
public struct Call: Sendable, Hashable {
    /// The primitive's name (`eq`, `dhcp.pool_for`) or, in a C node, the chart id.
    public var name: String
    /// The arguments in the order written.
    public var arguments: [CallArgument]
    /// Where `as` stores the result.
    public var result: Path?

    public init(name: String, arguments: [CallArgument], result: Path? = nil) {
        self.name = name
        self.arguments = arguments
        self.result = result
    }
}

/// One argument of a call; `label` is nil for a positional one.
public struct CallArgument: Sendable, Hashable {
    public var label: String?
    public var value: Expr
    public init(label: String?, value: Expr) {
        self.label = label
        self.value = value
    }
}
