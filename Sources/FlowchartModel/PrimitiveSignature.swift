/// The type a parameter, argument or result is declared with.
public enum ValueType: String, Sendable, Hashable, CaseIterable {
    case any, bool, int, number, string, list, map

    /// True when `value` fits the type (null never does; nullability is the parameter's).
    public func accepts(_ value: Value) -> Bool {
        switch (self, value) {
        case (.any, _): true
        case (.bool, .bool), (.string, .string), (.list, .list), (.map, .map): true
        case (.int, .int), (.number, .int), (.number, .double): true
        case (.int, .double(let d)): d.rounded() == d
        default: false
        }
    }
}

/// How an argument reaches a primitive.
public enum Passing: String, Sendable, Hashable {
    /// Evaluated to a value before the call.
    case value
    /// A context path the primitive writes or inspects (`set(path, ...)`): a path, not a literal.
    case path
    /// A nested predicate call, evaluated lazily (`not`, `all`, `any`).
    case predicate
}

/// One declared parameter of a primitive.
public struct ParameterSignature: Sendable, Hashable {
    public var name: String
    public var type: ValueType
    /// Whether null is an acceptable argument.
    public var nullable: Bool
    public var passing: Passing
    /// The value used when the argument is left out; nil makes it required (unless variadic).
    public var defaultValue: Value?
    /// The last parameter may take any number of positional arguments (`all(p, ...)`).
    public var variadic: Bool

    public init(
        _ name: String, _ type: ValueType, nullable: Bool = true, passing: Passing = .value,
        default defaultValue: Value? = nil, variadic: Bool = false
    ) {
        self.name = name
        self.type = type
        self.nullable = nullable
        self.passing = passing
        self.defaultValue = defaultValue
        self.variadic = variadic
    }

    /// `name: type`, as `l7flow primitives` shows it.
    public var text: String {
        var t = "\(name): \(passing == .path ? "path" : passing == .predicate ? "predicate" : type.rawValue)"
        if variadic { t += "..." }
        if let d = defaultValue { t += " = \(JSON.encode(d))" }
        return t
    }
}

/// What a primitive is for.
public enum PrimitiveKind: String, Sendable, Hashable {
    /// Answers a question; used in decisions.
    case predicate
    /// Changes the context or the world; used in actions.
    case action
    /// Computes a value (stored with `as`); used in decisions (truthy) and actions.
    case function
}

/// A primitive's declaration: what the validator checks calls against.
public struct PrimitiveSignature: Sendable, Hashable {
    public var name: String
    public var kind: PrimitiveKind
    public var parameters: [ParameterSignature]
    /// The result's type, or nil when it returns nothing worth storing.
    public var result: ValueType?
    /// A one-line meaning.
    public var summary: String

    public init(
        name: String, kind: PrimitiveKind, parameters: [ParameterSignature], result: ValueType?, summary: String
    ) {
        self.name = name
        self.kind = kind
        self.parameters = parameters
        self.result = result
        self.summary = summary
    }

    /// `name(p: type, ...) -> result`.
    public var text: String {
        "\(name)(\(parameters.map(\.text).joined(separator: ", ")))" + (result.map { " -> \($0.rawValue)" } ?? "")
    }
}
