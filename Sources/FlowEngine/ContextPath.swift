import FlowchartModel

/// The slots of the context tree. `local` and `args` belong to the current call frame.
public enum RootSlot: Int, Sendable, CaseIterable {
    case device, iface, packet, event, session, env, local, args

    /// The root's name in paths.
    public var name: String {
        switch self {
        case .device: "device"
        case .iface: "iface"
        case .packet: "packet"
        case .event: "event"
        case .session: "session"
        case .env: "env"
        case .local: "local"
        case .args: "args"
        }
    }

    init?(name: String) {
        switch name {
        case "device": self = .device
        case "iface": self = .iface
        case "packet": self = .packet
        case "event": self = .event
        case "session": self = .session
        case "env": self = .env
        case "local": self = .local
        case "args": self = .args
        default: return nil
        }
    }

    /// Slots shared by every frame of a run.
    static let sharedCount = 6
}

/// A context path parsed once, with its root resolved to a slot: what the compiled program holds.
/// A class, so that evaluating a path argument takes one reference, not a copy of its parts.
public final class ContextPath: Sendable, Hashable, CustomStringConvertible {
    public let root: RootSlot
    let segments: [Segment]
    /// The path as written, for traces and errors.
    public let text: String
    /// The steps of a path without computed keys, made once (nil when a key is computed), so that
    /// finding its location allocates nothing.
    let literalSteps: [Location.Step]?

    indirect enum Segment: Sendable, Hashable {
        case key(String)
        case index(Int)
        case computed(ContextPath)
    }

    /// Compiles a parsed path; fails on an unknown root.
    public init(_ path: Path) throws(PrimitiveError) {
        guard let slot = RootSlot(name: path.root) else {
            throw PrimitiveError("the path \(path) starts with '\(path.root)', which is not a context root")
        }
        root = slot
        var segs: [Segment] = []
        for s in path.segments {
            switch s {
            case .key(let k): segs.append(.key(k))
            case .index(let i): segs.append(.index(i))
            case .computed(let p): segs.append(.computed(try ContextPath(p)))
            }
        }
        segments = segs
        text = path.description
        var literal: [Location.Step]? = []
        for s in segs {
            switch s {
            case .key(let k): literal?.append(.key(k))
            case .index(let i): literal?.append(.index(i))
            case .computed: literal = nil
            }
        }
        literalSteps = literal
    }

    /// Parses a path from text; for paths fixed in Swift code (a primitive's own reads), where a
    /// typo is a programming error.
    public convenience init(_ text: String) {
        do { try self.init(Path.parse(text)) } catch { preconditionFailure("bad built-in path '\(text)': \(error)") }
    }

    public var description: String { text }

    public static func == (a: ContextPath, b: ContextPath) -> Bool {
        a === b || (a.root == b.root && a.segments == b.segments)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(root)
        hasher.combine(segments)
    }
}

/// A concrete place in the context: a slot, the frame it belongs to, and literal steps.
public struct Location: Sendable, Hashable, CustomStringConvertible {
    let root: RootSlot
    /// Index of the frame for `local`/`args`; unused for shared slots.
    let frame: Int
    var steps: [Step]

    enum Step: Sendable, Hashable {
        case key(String)
        case index(Int)
    }

    public var description: String {
        var out = root.name
        for s in steps {
            switch s {
            case .key(let k): out += Path.isPlainKey(k) ? ".\(k)" : "[\"\(k)\"]"
            case .index(let i): out += "[\(i)]"
            }
        }
        return out
    }

    func appending(_ step: Step) -> Location {
        var copy = self
        copy.steps.append(step)
        return copy
    }
}
