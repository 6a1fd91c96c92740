import FlowchartModel

extension ChartStore {
    /// The chart `id` and every chart it calls, directly or not, in the order found (the chart
    /// first), read in one transaction; empty when `id` is not stored. What `run` needs, without
    /// reading the other charts.
    public func loadClosure(of id: String) throws(StoreError) -> [StoredChart] {
        try write(.deferred) { () throws(StoreError) in
            try ChartStore.closure(of: id) { (name: String) throws(StoreError) in try fetch(where: "WHERE id = ?", [.text(name)]).first }
        }
    }

    /// The chart `id` and the charts it calls, directly or not, as `load` finds them (a chart it
    /// does not find is left out).
    public static func closure(of id: String, load: (String) throws(StoreError) -> StoredChart?) throws(StoreError) -> [StoredChart] {
        var found: [StoredChart] = []
        var queue = [id]
        var seen: Set<String> = [id]
        while let next = queue.popLast() {
            guard let stored = try load(next) else { continue }
            found.append(stored)
            for node in stored.chart.nodes where node.kind == .call {
                if case .call(let call)? = try? node.parsedBody(), seen.insert(call.name).inserted { queue.append(call.name) }
            }
        }
        return found
    }
}
