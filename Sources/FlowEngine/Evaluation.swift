import FlowchartModel

extension Run {
    /// Evaluates an argument expression against the current frame.
    func evaluate(_ expr: CExpr) throws(PrimitiveError) -> Value {
        switch expr {
        case .constant(let v): return v
        case .path(let p): return try read(p)
        case .template(let parts):
            var out = ""
            for part in parts {
                switch part {
                case .text(let t): out += t
                case .path(let p): out += try read(p).text
                }
            }
            return .string(out)
        case .list(let items):
            var out: [Value] = []
            out.reserveCapacity(items.count)
            for item in items { out.append(try evaluate(item)) }
            return .list(out)
        case .map(let entries):
            var out: [String: Value] = [:]
            out.reserveCapacity(entries.count)
            for (key, e) in entries { out[key] = try evaluate(e) }
            return .map(out)
        }
    }

    /// Runs a primitive call and stores its result where `as` says.
    @discardableResult
    func invoke(_ call: CCall) throws(PrimitiveError) -> Value {
        let result = try call.primitive.body(Invocation(run: self, call: call))
        if let path = call.result { try store(result, at: path) }
        return result.value
    }

    /// Runs a predicate (or function) call in a decision: true when its value is truthy.
    func test(_ call: CCall) throws(PrimitiveError) -> Bool {
        if let builtin = call.test { return try test(builtin) }
        return try invoke(call).isTruthy
    }

    /// A built-in predicate, evaluated as its primitive's body would (arguments in order).
    func test(_ builtin: CTest) throws(PrimitiveError) -> Bool {
        switch builtin {
        case .compare(let a, let b, let equal):
            let x = try evaluate(a)
            return x.looselyEquals(try evaluate(b)) == equal
        case .member(let a, let b):
            let x = try evaluate(a)
            return Registry.isMember(x, of: try evaluate(b))
        case .exists(let a):
            return !(try evaluate(a).isNull)
        case .not(let p):
            return !(try test(p))
        case .all(let list):
            for p in list where !(try test(p)) { return false }
            return true
        case .any(let list):
            for p in list where try test(p) { return true }
            return false
        }
    }

    /// Stores a primitive's result: an element result binds `local.x` to the element itself.
    func store(_ result: PrimitiveResult, at path: ContextPath) throws(PrimitiveError) {
        let top = frames.count - 1
        let singleLocal: String? = {
            if path.root == .local, path.segments.count == 1, case .key(let name) = path.segments[0] { return name }
            return nil
        }()
        if case .element(let loc, let value) = result, let name = singleLocal {
            frames[top].aliases[name] = loc
            effect(["bind": .string(path.text), "to": .string(loc.description), "value": value])
            return
        }
        if let name = singleLocal { frames[top].aliases.removeValue(forKey: name) }
        try assign(path, result)
        effect(["set": .string(path.text), "value": result.value])
    }

    /// `local` of a frame with its aliases read through, as the trace and callers see it.
    func materializedLocal(_ frame: Int) -> Value {
        var local = frames[frame].local
        for (name, loc) in frames[frame].aliases {
            if case .map(var m) = local {
                local = .null
                m[name] = read(loc)
                local = .map(m)
            } else if local.isNull {
                local = .map([name: read(loc)])
            }
        }
        return local
    }
}
