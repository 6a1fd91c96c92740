import ArgumentParser
import FlowStore
import FlowchartModel

struct DispatchList: GlobalCommand {
    static let configuration = CommandConfiguration(
        commandName: "dispatch",
        abstract:
            "List the dispatch table: what arrives on a device (transport, port, message) and the chart it starts.",
        discussion: """
            Rows are tried in order; the first that matches wins. SIDE local: the port a packet arrives at;
            peer: an answer from that port to a port the device's own request left from. Edit rows with sqlite3
            (table dispatch) and bindings with 'l7flow edit bind'.
            """)
    @OptionGroup var global: GlobalOptions

    func run() throws {
        let store = try openStore(global)
        let rows: [DispatchRow]
        let charts: [String: String]
        do {
            rows = try store.dispatchRows()
            charts = try store.boundCharts()
        } catch {
            throw Failure("\(error)")
        }
        let header = ["POS", "TRANSPORT", "PORT", "SIDE", "MESSAGE", "SENDER", "BINDING", "CHART"]
        let table =
            [header]
            + rows.map { r in
                let binding = "\(r.protocolName).\(r.role).\(r.trigger)"
                return [
                    "\(r.position)", r.transport, r.port.map(String.init) ?? "*", r.side, r.message, r.sender, binding,
                    charts[binding] ?? "(none)",
                ]
            }
        let text = Output.columns(table)
        Output.emit(
            global,
            json: .list(
                rows.map { r in
                    let binding = "\(r.protocolName).\(r.role).\(r.trigger)"
                    return .map([
                        "position": .int(r.position), "transport": .string(r.transport),
                        "port": r.port.map(Value.int) ?? .null,
                        "side": .string(r.side), "message": .string(r.message), "sender": .string(r.sender),
                        "binding": .string(binding),
                        "chart": charts[binding].map(Value.string) ?? .null, "note": .string(r.note),
                    ])
                }), text: text)
    }
}
