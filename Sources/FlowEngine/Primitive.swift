import FlowchartModel

/// What a primitive hands back to the machine.
public enum PrimitiveResult: Sendable {
    /// A plain value (stored by `as`; its truthiness decides in a decision).
    case value(Value)
    /// An element of a list in the context: `as local.x` binds `local.x` to that element itself,
    /// so writes through it change the element (`find`). `value` is the element, for truthiness.
    case element(Location, Value)

    /// No result.
    public static let none = PrimitiveResult.value(.null)

    var value: Value {
        switch self {
        case .value(let v), .element(_, let v): v
        }
    }
}

/// A Swift primitive: its declaration and its body.
public struct Primitive: Sendable {
    public let signature: PrimitiveSignature
    /// Runs the primitive. Arguments are read through the invocation, lazily.
    public let body: @Sendable (Invocation) throws(PrimitiveError) -> PrimitiveResult
    /// Which built-in predicate this is, for those the run evaluates inline (see `CTest`).
    let builtin: BuiltinPredicate?

    public init(
        _ name: String, _ kind: PrimitiveKind, _ parameters: [ParameterSignature], result: ValueType? = nil,
        _ summary: String, body: @escaping @Sendable (Invocation) throws(PrimitiveError) -> PrimitiveResult
    ) {
        self.init(name, kind, parameters, result: result, summary, builtin: nil, body: body)
    }

    init(
        _ name: String, _ kind: PrimitiveKind, _ parameters: [ParameterSignature], result: ValueType? = nil,
        _ summary: String, builtin: BuiltinPredicate?,
        body: @escaping @Sendable (Invocation) throws(PrimitiveError) -> PrimitiveResult
    ) {
        signature = PrimitiveSignature(name: name, kind: kind, parameters: parameters, result: result, summary: summary)
        self.body = body
        self.builtin = builtin
    }

    public var name: String { signature.name }
}

/// The generic predicates whose calls the run evaluates inline.
enum BuiltinPredicate: Sendable {
    case eq, ne, `in`, exists, not, all, any
}

/// The primitives and message types charts may use.
public struct Registry: Sendable {
    public private(set) var primitives: [String: Primitive] = [:]
    /// Message type → the protocol and transport `send` adds to it.
    public private(set) var messageTypes: [String: MessageType] = [:]

    public init() {}

    /// Adds primitives; a later one replaces an earlier one of the same name.
    public mutating func register(_ list: [Primitive]) {
        for p in list { primitives[p.name] = p }
    }

    /// Adds a protocol's primitives and message types.
    public mutating func register(_ pack: ProtocolPack) {
        register(pack.primitives)
        messageTypes.merge(pack.messages) { _, new in new }
    }

    /// The declarations, by name, for the validator.
    public var catalog: [String: PrimitiveSignature] { primitives.mapValues(\.signature) }
}

/// A protocol's contribution to the registry: its primitives and its message types.
public struct ProtocolPack: Sendable {
    public let name: String
    public let primitives: [Primitive]
    /// Message types with the protocol and transport `send` gives them.
    public let messages: [String: MessageType]

    public init(
        name: String, primitives: [Primitive], messages: [String], protocol protocolName: String, transport: String
    ) {
        self.name = name
        self.primitives = primitives
        var table: [String: MessageType] = [:]
        for m in messages { table[m] = MessageType(protocolName: protocolName, transport: transport) }
        self.messages = table
    }

    public init(name: String, primitives: [Primitive], messages: [String: MessageType]) {
        self.name = name
        self.primitives = primitives
        self.messages = messages
    }
}

/// The protocol and transport of a message type.
public struct MessageType: Sendable, Hashable {
    public let protocolName: String
    public let transport: String
    public init(protocolName: String, transport: String) {
        self.protocolName = protocolName
        self.transport = transport
    }
}
