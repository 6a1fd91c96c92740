import FlowchartModel

/// The state of one run: the context, the call stack, and everything the run did so far.
/// One run never executes concurrently with itself; it is not shared between threads.
final class Run {
    let programs: ProgramSet
    let options: MachineOptions
    // The state every step reads and writes is exempt from run-time exclusivity checks: a run
    // is used by one thread at a time, and no access to it overlaps another.
    /// `device`, `iface`, `packet`, `event`, `session`, `env`, by `RootSlot.rawValue`.
    @exclusivity(unchecked) var shared: [Value]
    @exclusivity(unchecked) var frames: [Frame] = []

    // What the run did.
    var sent: [SentMessage] = []
    var reports: [String] = []
    var logs: [String] = []
    var signals: [Signal] = []
    var timersStarted: [(name: String, seconds: Double)] = []
    var timersCancelled: [String] = []
    /// Timers armed and not yet expired or cancelled, by name.
    var armed: [String: ArmedTimer] = [:]
    var armCounter = 0
    /// The port the transport picked for this run's sends without a source port.
    var ephemeralPort: Int?
    @exclusivity(unchecked) var steps = 0
    /// The entry of `device.sessions` that `session` is bound to, if any (else `session` is a
    /// plain root, as a case may give it).
    @exclusivity(unchecked) var sessionBinding: Location?
    /// The current TCP connection: the triggering packet's, or the one this run opened.
    var connection: Connection?

    /// A TCP connection as the run sees it.
    struct Connection {
        var localPort: Int
        var peerIP: String
        var peerPort: Int
    }

    // Tracing (nil when off, so a run without a trace records nothing).
    let trace: TraceRecorder?
    @exclusivity(unchecked) var reads: [(String, Value)]?
    @exclusivity(unchecked) var effects: [Value]?

    init(programs: ProgramSet, options: MachineOptions, context: [String: Value], traced: Bool) {
        self.programs = programs
        self.options = options
        var roots = [Value](repeating: .null, count: RootSlot.sharedCount)
        for (name, value) in context {
            if let slot = RootSlot(name: name), slot.rawValue < RootSlot.sharedCount { roots[slot.rawValue] = value }
        }
        shared = roots
        trace = traced ? TraceRecorder() : nil
    }

    /// One call frame.
    struct Frame {
        let program: Int
        var pc: Int
        var local: Value
        var args: Value
        /// `local.x` names bound by `find ... as local.x` to an element elsewhere in the context.
        var aliases: [String: Location] = [:]
        /// Index of the C node's trace step in the caller, to record the callee's result.
        var callStep: Int?
    }

    var depth: Int { frames.count - 1 }

    var now: Double { shared[RootSlot.env.rawValue]["now"].number ?? 0 }

    // MARK: Locations

    /// The concrete location of a path, or nil when a computed key is null (the path names nothing).
    func location(_ path: ContextPath, recordReads: Bool = true) throws(PrimitiveError) -> Location? {
        if let literal = path.literalSteps { return place(path, literal) }
        var steps: [Location.Step] = []
        steps.reserveCapacity(path.segments.count)
        for segment in path.segments {
            switch segment {
            case .key(let k): steps.append(.key(k))
            case .index(let i): steps.append(.index(i))
            case .computed(let p):
                let key = try read(p, record: recordReads)
                switch key {
                case .null: return nil
                case .string(let s): steps.append(.key(s))
                case .int(let i): steps.append(.index(i))
                case .double(let d) where d.rounded() == d:
                    do { steps.append(.index(try Int(checking: d, "the key \(p.text) of \(path.text)"))) } catch {
                        throw PrimitiveError(error.description)
                    }
                default:
                    throw PrimitiveError(
                        "the key \(p.text) holds a \(key.typeName), which cannot name a member of \(path.text)")
                }
            }
        }
        return place(path, steps)
    }

    /// The location of `steps` under the path's root, through a bound session or an alias of
    /// `local.x` when there is one.
    private func place(_ path: ContextPath, _ steps: [Location.Step]) -> Location {
        let frame = frames.count - 1
        if path.root == .session, var loc = sessionBinding {
            loc.steps.append(contentsOf: steps)
            return loc
        }
        if path.root == .local, case .key(let name)? = steps.first, let alias = frames[frame].aliases[name] {
            var loc = alias
            loc.steps.append(contentsOf: steps.dropFirst())
            return loc
        }
        return Location(root: path.root, frame: frame, steps: steps)
    }

    /// Reads a path; a missing path reads as null. Recorded in a decision's reads when tracing.
    func read(_ path: ContextPath, record: Bool = true) throws(PrimitiveError) -> Value {
        let value: Value
        if let steps = path.literalSteps, let root = directRoot(path) {
            value = Run.value(in: root, at: steps)
        } else {
            value = try location(path, recordReads: record).map(read) ?? .null
        }
        if record, reads != nil { reads!.append((path.text, value)) }
        return value
    }

    /// The value a path's literal steps start from, when no binding stands in for its root (a
    /// bound session, an alias of `local.x`): then no location need be made to read it.
    private func directRoot(_ path: ContextPath) -> Value? {
        switch path.root {
        case .local:
            let top = frames.count - 1
            // (`Value` is nil-literal expressible: `Optional.none` says "no direct root".)
            return frames[top].aliases.isEmpty ? .some(frames[top].local) : .none
        case .args: return frames[frames.count - 1].args
        case .session: return sessionBinding == nil ? .some(shared[RootSlot.session.rawValue]) : .none
        default: return shared[path.root.rawValue]
        }
    }

    func read(_ loc: Location) -> Value {
        let root: Value
        switch loc.root {
        case .local: root = frames[loc.frame].local
        case .args: root = frames[loc.frame].args
        default: root = shared[loc.root.rawValue]
        }
        return Run.value(in: root, at: loc.steps)
    }

    /// What `steps` name inside `root` (null when something on the way is missing).
    static func value(in root: Value, at steps: [Location.Step]) -> Value {
        var value = root
        for step in steps {
            switch (value, step) {
            case (.map(let m), .key(let k)): value = m[k] ?? .null
            case (.map(let m), .index(let i)): value = m[String(i)] ?? .null
            case (.list(let l), .index(let i)): value = l.indices.contains(i) ? l[i] : .null
            case (.list(let l), .key(let k)):
                if let i = Int(k), l.indices.contains(i) { value = l[i] } else { return .null }
            default: return .null
            }
        }
        return value
    }

    /// Changes the value at `loc` in place, creating missing maps on the way.
    func modify<T>(_ loc: Location, _ body: (inout Value) throws(PrimitiveError) -> T) throws(PrimitiveError) -> T {
        switch loc.root {
        case .local: return try Run.update(&frames[loc.frame].local, loc.steps[...], loc, body)
        case .args: return try Run.update(&frames[loc.frame].args, loc.steps[...], loc, body)
        default: return try Run.update(&shared[loc.root.rawValue], loc.steps[...], loc, body)
        }
    }

    func write(_ loc: Location, _ value: Value) throws(PrimitiveError) {
        try modify(loc) { (v: inout Value) throws(PrimitiveError) in v = value }
    }

    /// Removes the member or element at `loc` (nothing when absent). The root itself becomes null.
    func remove(_ loc: Location) throws(PrimitiveError) {
        guard let last = loc.steps.last else {
            try write(loc, .null)
            return
        }
        var parent = loc
        parent.steps.removeLast()
        if read(parent).isNull { return }
        try modify(parent) { (v: inout Value) throws(PrimitiveError) in
            switch (v, last) {
            case (.map(var m), .key(let k)):
                v = .null
                m.removeValue(forKey: k)
                v = .map(m)
            case (.map(var m), .index(let i)):
                v = .null
                m.removeValue(forKey: String(i))
                v = .map(m)
            case (.list(var l), .index(let i)) where l.indices.contains(i):
                v = .null
                l.remove(at: i)
                v = .list(l)
            case (.list(var l), .key(let k)):
                if let i = Int(k), l.indices.contains(i) {
                    v = .null
                    l.remove(at: i)
                    v = .list(l)
                }
            default: break
            }
        }
    }

    private static func update<T>(
        _ value: inout Value, _ steps: ArraySlice<Location.Step>, _ whole: Location,
        _ body: (inout Value) throws(PrimitiveError) -> T
    ) throws(PrimitiveError) -> T {
        guard let step = steps.first else {
            let result = try body(&value)
            let depth = whole.steps.count + value.nestingDepth(limit: Run.maxValueDepth)
            guard depth <= Run.maxValueDepth else {
                throw PrimitiveError(
                    "cannot write \(whole): the context would nest \(depth) levels deep there; at most \(Run.maxValueDepth) are allowed"
                )
            }
            return result
        }
        let rest = steps.dropFirst()
        switch value {
        case .null:
            var child = Value.null
            let result = try update(&child, rest, whole, body)
            value = .map([step.keyText: child])
            return result
        case .map(var m):
            let key = step.keyText
            value = .null
            let old = m.removeValue(forKey: key)
            var child = old ?? .null
            do {
                let result = try update(&child, rest, whole, body)
                m[key] = child
                value = .map(m)
                return result
            } catch {
                if let old { m[key] = old }
                value = .map(m)
                throw error
            }
        case .list(var l):
            guard let i = step.indexValue, l.indices.contains(i) else {
                value = .list(l)
                throw PrimitiveError("\(whole) names element \(step.keyText) of a list of \(l.count)")
            }
            value = .null
            var child = l[i]
            l[i] = .null
            defer {
                l[i] = child
                value = .list(l)
            }
            return try update(&child, rest, whole, body)
        default:
            throw PrimitiveError(
                "cannot write \(whole): a part of it holds the \(value.typeName) \(JSON.encode(value)), not a map or list"
            )
        }
    }

    /// How deep lists and maps may nest in a root of the context (a JSON text of the whole
    /// context, or of a trace holding it, stays within `JSON.maxDepth`).
    static let maxValueDepth = JSON.maxDepth - 12

    // MARK: Sessions

    static let sessionsPath = ContextPath("device.sessions")

    /// Stores into `path`; the bare root `session` opens (a map), rebinds (an element) or closes
    /// (null) the current connection's record, as CONVENTIONS.md item 11 says.
    func assign(_ path: ContextPath, _ result: PrimitiveResult) throws(PrimitiveError) {
        guard path.root == .session, path.segments.isEmpty else {
            guard let loc = try location(path, recordReads: false) else {
                throw PrimitiveError("cannot store into \(path.text): a key in it is null")
            }
            try write(loc, result.value)
            return
        }
        switch result {
        case .element(let loc, _):
            sessionBinding = loc
        case .value(.null):
            try closeSession()
        case .value(let record):
            var record = record
            if case .map(var m) = record, let c = connection {
                // The record names its connection, so later packets of it find it (item 11).
                if m["local_port"] == nil { m["local_port"] = .int(c.localPort) }
                if m["peer_ip"] == nil { m["peer_ip"] = .string(c.peerIP) }
                if m["peer_port"] == nil { m["peer_port"] = .int(c.peerPort) }
                record = .map(m)
            }
            if let bound = sessionBinding {
                try write(bound, record)
            } else {
                let list = Location(root: .device, frame: 0, steps: [.key("sessions")])
                var index = 0
                try modify(list) { (v: inout Value) throws(PrimitiveError) in
                    switch v {
                    case .null: v = .list([record])
                    case .list(var l):
                        v = .null
                        l.append(record)
                        index = l.count - 1
                        v = .list(l)
                    default: throw PrimitiveError("device.sessions holds a \(v.typeName), not a list")
                    }
                }
                sessionBinding = list.appending(.index(index))
                shared[RootSlot.session.rawValue] = .null
            }
        }
    }

    /// Removes the current session record (from `device.sessions` when bound there).
    func closeSession() throws(PrimitiveError) {
        if let bound = sessionBinding { try remove(bound) }
        sessionBinding = nil
        shared[RootSlot.session.rawValue] = .null
    }

    /// Binds `session` to the entry of `device.sessions` for the packet's connection, if any, and
    /// takes a TCP packet's connection as the current one.
    func bindSessionForPacket() {
        let packet = shared[RootSlot.packet.rawValue]
        if packet["transport"] == "tcp", let local = packet["dst_port"].int, let peer = packet["src_ip"].string,
            let peerPort = packet["src_port"].int
        {
            connection = Connection(localPort: local, peerIP: peer, peerPort: peerPort)
        }
        guard shared[RootSlot.session.rawValue].isNull, case .map = packet,
            case .list(let sessions) = shared[RootSlot.device.rawValue]["sessions"]
        else { return }
        let isNotice = packet["protocol"] == "tcp"
        func bind(_ i: Int) {
            sessionBinding = Location(root: .device, frame: 0, steps: [.key("sessions"), .index(i)])
        }
        for (i, s) in sessions.enumerated() {
            guard s["local_port"].looselyEquals(packet["dst_port"]), s["peer_ip"].looselyEquals(packet["src_ip"]),
                s["peer_port"].looselyEquals(packet["src_port"])
            else { continue }
            if isNotice || s["protocol"].looselyEquals(packet["protocol"]) { return bind(i) }
        }
        // A client's transfer whose peer port is not known yet (TFTP: the server answers from a
        // new port) is found by the port its own request left from (CONVENTIONS.md item 14).
        for (i, s) in sessions.enumerated() where s["peer_port"].isNull {
            if s["local_port"].looselyEquals(packet["dst_port"]), s["protocol"].looselyEquals(packet["protocol"]) {
                return bind(i)
            }
        }
    }

    /// `session` as every reader sees it.
    var sessionValue: Value { sessionBinding.map(read) ?? shared[RootSlot.session.rawValue] }

    // MARK: Effects

    /// Records an effect in the current action step's trace.
    func effect(_ value: @autoclosure () -> Value) {
        if effects != nil { effects!.append(value()) }
    }

    /// Arms (or re-arms) a timer.
    func startTimer(_ name: String, seconds: Double, value: Value) {
        armCounter += 1
        armed[name] = ArmedTimer(name: name, due: now + seconds, value: value, order: armCounter)
        if let i = timersStarted.firstIndex(where: { $0.name == name }) { timersStarted.remove(at: i) }
        timersStarted.append((name, seconds))
        effect(["start_timer": .string(name), "seconds": Value(numeric: seconds)])
    }

    func cancelTimer(_ name: String) {
        armed.removeValue(forKey: name)
        if !timersCancelled.contains(name) { timersCancelled.append(name) }
        effect(["cancel_timer": .string(name)])
    }
}

extension Location.Step {
    var keyText: String {
        switch self {
        case .key(let k): k
        case .index(let i): String(i)
        }
    }

    var indexValue: Int? {
        switch self {
        case .key(let k): Int(k)
        case .index(let i): i
        }
    }
}

/// A timer armed by a run.
struct ArmedTimer: Sendable {
    let name: String
    let due: Double
    let value: Value
    /// Arming order, to break ties between timers due at the same time.
    let order: Int
}

/// Tuning of the machine.
public struct MachineOptions: Sendable {
    /// Nodes a run may visit before it is stopped as an endless loop.
    public var stepBudget: Int
    /// How deep C nodes may nest.
    public var maxDepth: Int
    public init(stepBudget: Int = 100_000, maxDepth: Int = 64) {
        self.stepBudget = stepBudget
        self.maxDepth = maxDepth
    }
}
