import FlowchartModel

/// A primitive's view of one call: its arguments (read lazily) and the run it acts on.
public struct Invocation {
    let run: Run
    let call: CCall

    var signature: PrimitiveSignature { call.primitive.signature }

    // MARK: Arguments

    private func parameterName(_ i: Int) -> String { signature.parameters[i].name }

    private func fail(_ i: Int, _ want: String, _ got: Value) -> PrimitiveError {
        PrimitiveError(
            "\(signature.name): '\(parameterName(i))' must be \(want), not the \(got.typeName) \(JSON.encode(got))")
    }

    /// The value of argument `i` (a value parameter).
    public func value(_ i: Int) throws(PrimitiveError) -> Value {
        switch call.args[i] {
        case .value(let e): return try run.evaluate(e)
        case .path(let p): return try run.read(p)
        case .predicate(let c): return .bool(try run.test(c))
        case .variadic: throw PrimitiveError("\(signature.name): '\(parameterName(i))' takes several arguments")
        }
    }

    public func string(_ i: Int) throws(PrimitiveError) -> String {
        let v = try value(i)
        switch v {
        case .string(let s): return s
        case .int, .double: return v.text
        default: throw fail(i, "a string", v)
        }
    }

    public func optionalString(_ i: Int) throws(PrimitiveError) -> String? {
        let v = try value(i)
        return v.isNull ? nil : try string(i)
    }

    public func number(_ i: Int) throws(PrimitiveError) -> Double {
        let v = try value(i)
        guard let n = v.number else { throw fail(i, "a number", v) }
        return n
    }

    public func int(_ i: Int) throws(PrimitiveError) -> Int {
        let v = try value(i)
        guard let n = v.int else { throw fail(i, "a whole number", v) }
        return n
    }

    public func bool(_ i: Int) throws(PrimitiveError) -> Bool {
        let v = try value(i)
        guard case .bool(let b) = v else { throw fail(i, "true or false", v) }
        return b
    }

    public func map(_ i: Int) throws(PrimitiveError) -> [String: Value] {
        let v = try value(i)
        if v.isNull { return [:] }
        guard case .map(let m) = v else { throw fail(i, "a map", v) }
        return m
    }

    public func list(_ i: Int) throws(PrimitiveError) -> [Value] {
        let v = try value(i)
        if v.isNull { return [] }
        guard case .list(let l) = v else { throw fail(i, "a list", v) }
        return l
    }

    /// The location named by a path parameter; fails when a computed key in it is null.
    public func location(_ i: Int) throws(PrimitiveError) -> Location {
        guard case .path(let p) = call.args[i] else {
            throw PrimitiveError("\(signature.name): '\(parameterName(i))' is not a path")
        }
        guard let loc = try run.location(p) else {
            throw PrimitiveError("\(signature.name): \(p.text) names nothing (a key in it is null)")
        }
        return loc
    }

    /// Stores a value at a path parameter; the bare root `session` opens or closes a session record.
    public func assign(_ i: Int, _ value: Value) throws(PrimitiveError) {
        guard case .path(let p) = call.args[i] else {
            throw PrimitiveError("\(signature.name): '\(parameterName(i))' is not a path")
        }
        try run.assign(p, .value(value))
    }

    /// Removes what a path parameter names; the bare root `session` closes the session record.
    public func unset(_ i: Int) throws(PrimitiveError) {
        guard case .path(let p) = call.args[i] else {
            throw PrimitiveError("\(signature.name): '\(parameterName(i))' is not a path")
        }
        if p.root == .session, p.segments.isEmpty {
            try run.closeSession()
            return
        }
        guard let loc = try run.location(p) else { return }
        try run.remove(loc)
    }

    /// The element at `index` of the list named by path parameter `i`, as a result that `as
    /// local.x` binds to the element itself (writes through `local.x` change it), as `find` does.
    public func element(ofList i: Int, at index: Int) throws(PrimitiveError) -> PrimitiveResult {
        let loc = try location(i).appending(.index(index))
        return .element(loc, run.read(loc))
    }

    /// The path text of a path parameter, for traces.
    public func pathText(_ i: Int) -> String {
        if case .path(let p) = call.args[i] { return p.text }
        return parameterName(i)
    }

    /// How many arguments a variadic parameter got.
    public func count(_ i: Int) -> Int {
        if case .variadic(let list) = call.args[i] { return list.count }
        return 1
    }

    /// Evaluates predicate argument `i` (element `j` of a variadic one).
    public func test(_ i: Int, _ j: Int = 0) throws(PrimitiveError) -> Bool {
        var arg = call.args[i]
        if case .variadic(let list) = arg { arg = list[j] }
        switch arg {
        case .predicate(let c): return try run.test(c)
        case .value(let e): return try run.evaluate(e).isTruthy
        case .path(let p): return try run.read(p).isTruthy
        case .variadic: return false
        }
    }

    // MARK: Context

    /// Reads a location.
    public func read(_ loc: Location) -> Value { run.read(loc) }

    /// Reads a fixed path (a primitive's own input, e.g. `device.dhcp_server.pools`); not traced.
    public func read(_ path: ContextPath) throws(PrimitiveError) -> Value { try run.read(path, record: false) }

    /// Writes a location, creating missing maps on the way.
    public func write(_ loc: Location, _ value: Value) throws(PrimitiveError) { try run.write(loc, value) }

    /// Writes a fixed path, recording the effect.
    public func write(_ path: ContextPath, _ value: Value) throws(PrimitiveError) {
        guard let loc = try run.location(path, recordReads: false) else {
            throw PrimitiveError("\(path) names nothing")
        }
        try run.write(loc, value)
        effect(["set": .string(path.text), "value": value])
    }

    /// Changes a location in place.
    public func modify<T>(_ loc: Location, _ body: (inout Value) throws(PrimitiveError) -> T) throws(PrimitiveError)
        -> T
    {
        try run.modify(loc, body)
    }

    /// Appends values to the list named by path parameter `i` (a missing list is created) and
    /// records the effect.
    public func append(_ values: [Value], toListAt i: Int) throws(PrimitiveError) {
        let loc = try location(i)
        let name = pathText(i)
        let primitive = signature.name
        try modify(loc) { (v: inout Value) throws(PrimitiveError) in
            switch v {
            case .null: v = .list(values)
            case .list(var l):
                v = .null
                l.append(contentsOf: values)
                v = .list(l)
            default: throw PrimitiveError("\(primitive): \(name) holds a \(v.typeName), not a list")
            }
        }
        effect(
            values.count == 1
                ? ["append": .string(name), "value": values[0]] : ["append": .string(name), "values": .list(values)])
    }

    /// Removes a location.
    public func remove(_ loc: Location) throws(PrimitiveError) { try run.remove(loc) }

    /// The location of a fixed path.
    public func location(of path: ContextPath) throws(PrimitiveError) -> Location {
        guard let loc = try run.location(path, recordReads: false) else {
            throw PrimitiveError("\(path) names nothing")
        }
        return loc
    }

    /// `env.now`.
    public var now: Double { run.now }

    // MARK: Effects

    /// Records an effect in the trace (only evaluated when tracing).
    public func effect(_ value: @autoclosure () -> Value) { run.effect(value()) }

    /// Sends a message built by a primitive (see `Run.send`); returns it as sent.
    @discardableResult
    public func send(type: String, to: String, fields: [String: Value]) throws(PrimitiveError) -> Value {
        try run.send(type: type, to: to, fields: fields)
    }

    /// Answers the triggering packet (see `Run.reply`); returns the message as sent.
    @discardableResult
    public func reply(type: String, fields: [String: Value]) throws(PrimitiveError) -> Value {
        try run.reply(type: type, fields: fields)
    }

    public func startTimer(_ name: String, seconds: Double, value: Value = .null) {
        run.startTimer(name, seconds: seconds, value: value)
    }
    public func cancelTimer(_ name: String) { run.cancelTimer(name) }

    public func signal(_ name: String, _ value: Value) {
        run.signals.append(Signal(name: name, value: value))
        effect(["signal": .string(name), "value": value])
    }

    public func report(_ text: String) {
        run.reports.append(text)
        effect(["report": .string(text)])
    }

    public func log(_ text: String) {
        run.logs.append(text)
        effect(["log": .string(text)])
    }
}
