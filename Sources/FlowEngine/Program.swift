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

/// A compiled primitive call: the primitive resolved, arguments bound to parameter slots. A
/// class, so that handing it to a primitive or a frame costs one reference, not a copy.
final class CCall: Sendable {
    let primitive: Primitive
    let args: [CArg]
    let result: ContextPath?
    /// The built-in predicate's work done inline, when the call is one (and stores no result).
    let test: CTest?

    init(primitive: Primitive, args: [CArg], result: ContextPath?) {
        self.primitive = primitive
        self.args = args
        self.result = result
        test = result == nil ? CTest(primitive.builtin, args) : nil
    }
}

/// A call of a built-in predicate evaluated by the run itself, without building an invocation or
/// calling the primitive's closure: the same arguments read in the same order, the same answer.
enum CTest: Sendable {
    /// `eq` (`equal`) or `ne`.
    case compare(CExpr, CExpr, equal: Bool)
    /// `in`.
    case member(CExpr, CExpr)
    /// `exists`.
    case exists(CExpr)
    /// `not`.
    case not(CCall)
    /// `all`.
    case all([CCall])
    /// `any`.
    case any([CCall])

    init?(_ builtin: BuiltinPredicate?, _ args: [CArg]) {
        guard let builtin else { return nil }
        switch (builtin, args.first, args.dropFirst().first) {
        case (.eq, .value(let a)?, .value(let b)?): self = .compare(a, b, equal: true)
        case (.ne, .value(let a)?, .value(let b)?): self = .compare(a, b, equal: false)
        case (.in, .value(let a)?, .value(let b)?): self = .member(a, b)
        case (.exists, .value(let a)?, _): self = .exists(a)
        case (.not, .predicate(let p)?, _): self = .not(p)
        case (.all, .variadic(let list)?, _), (.any, .variadic(let list)?, _):
            var calls: [CCall] = []
            for arg in list {
                guard case .predicate(let c) = arg else { return nil }
                calls.append(c)
            }
            self = builtin == .all ? .all(calls) : .any(calls)
        default: return nil
        }
    }
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

/// One node of a compiled program; successors are indices into the program's nodes. A class,
/// so that the machine's loop takes a reference to it, not a copy of its strings and payload.
final class CNode: Sendable {
    enum Op: Sendable {
        case decision(CCall)
        case action([CCall])
        case call(callee: Int, args: [(String, CExpr)], result: ContextPath, branches: Bool)
        case wait(CWait)
        case end(EndOutcome, CExpr?)
    }

    let id: String
    let kind: NodeKind
    let label: String
    let op: Op
    let next: Int
    let yes: Int
    let no: Int

    init(id: String, kind: NodeKind, label: String, op: Op, next: Int, yes: Int, no: Int) {
        self.id = id
        self.kind = kind
        self.label = label
        self.op = op
        self.next = next
        self.yes = yes
        self.no = no
    }
}

/// One chart, compiled to an array-indexed program.
final class Program: Sendable {
    let chartID: String
    let revision: Int
    let nodes: [CNode]
    /// Declared arguments with their defaults.
    let arguments: [(String, Value?)]

    init(chartID: String, revision: Int, nodes: [CNode], arguments: [(String, Value?)]) {
        self.chartID = chartID
        self.revision = revision
        self.nodes = nodes
        self.arguments = arguments
    }
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
