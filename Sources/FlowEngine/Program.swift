import FlowchartModel

/// A compiled argument expression: paths pre-parsed, constants folded.
indirect enum CExpr: Sendable {
    case constant(Value)
    case path(ContextPath)
    case template([CPart])
    case list([CExpr])
    case map([(String, CExpr)])
}

enum CPart: Sendable {
    case text(String)
    case path(ContextPath)
}

/// A compiled primitive call: the primitive resolved, arguments bound to parameter slots.
struct CCall: Sendable {
    let primitive: Primitive
    let args: [CArg]
    let result: ContextPath?
}

/// What fills one parameter slot.
indirect enum CArg: Sendable {
    case value(CExpr)
    case path(ContextPath)
    case predicate(CCall)
    case variadic([CArg])
}

/// A compiled wait.
struct CWait: Sendable {
    let signals: CExpr?
    let value: CExpr?
    let packets: CExpr?
    let timer: CExpr?
    let binding: ContextPath?
}

/// One node of a compiled program; successors are indices into the program's nodes.
struct CNode: Sendable {
    enum Op: Sendable {
        case decision(CCall)
        case action([CCall])
        case call(callee: Int, args: [(String, CExpr)], result: ContextPath, branches: Bool)
        case wait(CWait)
        case end(EndOutcome, CExpr?)
    }

    /// The node's chart, id, kind and label, as traces show them.
    let site: TraceSite
    let op: Op
    var id: String { site.node }
    var kind: NodeKind { site.kind }
    var label: String { site.label }
    var next = -1
    var yes = -1
    var no = -1
}

/// One chart, compiled to an array-indexed program.
struct Program: Sendable {
    let chartID: String
    let revision: Int
    let nodes: [CNode]
    /// Declared arguments with their defaults.
    let arguments: [(String, Value?)]
}

/// A set of compiled programs whose calls refer to each other by index.
public struct ProgramSet: Sendable {
    let programs: [Program]
    let index: [String: Int]
    /// The message table `send` consults.
    let messageTypes: [String: MessageType]

    /// The chart ids compiled.
    public var chartIDs: [String] { programs.map(\.chartID) }

    /// The revision a chart was compiled from.
    public func revision(of chart: String) -> Int? { index[chart].map { programs[$0].revision } }
}
