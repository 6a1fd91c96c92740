import FlowchartModel
import SQLiteKit

extension ChartStore {
    /// The chart `id` and every chart it calls, directly or not, in the order found (the chart
    /// first), read in one transaction; empty when `id` is not stored. What `run` needs, without
    /// reading the other charts.
    public func loadClosure(of id: String) throws(StoreError) -> [StoredChart] {
        try write(.deferred) { () throws(StoreError) in
            try ChartStore.closure(of: id) { (name: String) throws(StoreError) in
                try fetch(where: "WHERE id = ?", [.text(name)]).first
            }
        }
    }

    /// The chart `id` and the charts it calls, directly or not, as `load` finds them (a chart it
    /// does not find is left out).
    public static func closure(of id: String, load: (String) throws(StoreError) -> StoredChart?) throws(StoreError)
        -> [StoredChart]
    {
        var found: [StoredChart] = []
        var queue = [id]
        var seen: Set<String> = [id]
        while let next = queue.popLast() {
            guard let stored = try load(next) else { continue }
            found.append(stored)
            for node in stored.chart.nodes where node.kind == .call {
                if case .call(let call)? = try? node.parsedBody(), seen.insert(call.name).inserted {
                    queue.append(call.name)
                }
            }
        }
        return found
    }
}

extension ChartStore {
    /// The charts of these protocols and those with an action whose text holds one of these
    /// message types as a string literal: every chart that can give the field order of such
    /// messages in a trace's text, without reading the others.
    public func loadCharts(protocols: Set<String>, writingTypes types: Set<String>) throws(StoreError) -> [StoredChart]
    {
        let protocolList = protocols.sorted()
        let typeList = types.sorted()
        guard !protocolList.isEmpty || !typeList.isEmpty else { return [] }
        let inProtocols =
            "SELECT id FROM charts WHERE protocol IN (\(protocolList.map { _ in "?" }.joined(separator: ", ")))"
        let writingTypes =
            "SELECT chart_id FROM nodes WHERE kind = 'action' AND ("
            + typeList.map { _ in "instr(body, ?) > 0" }.joined(separator: " OR ") + ")"
        let parts = (protocolList.isEmpty ? [] : [inProtocols]) + (typeList.isEmpty ? [] : [writingTypes])
        let bindings = protocolList.map(SQLValue.text) + typeList.map { SQLValue.text("\"\($0)\"") }
        return try write(.deferred) { () throws(StoreError) in
            try fetch(where: "WHERE id IN (\(parts.joined(separator: " UNION ")))", bindings)
        }
    }
}
