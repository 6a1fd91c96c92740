import FlowEngine
import FlowchartModel

extension ProtocolPack {
    /// The device's prompt (SIMULATION.md "The device's prompt, keys and buttons"): what a person
    /// types, read by the `terminal.*` charts. No message types of its own.
    public static let terminal = ProtocolPack(name: "terminal", primitives: Registry.terminal, messages: [:])
}

extension Registry {
    /// Primitives of the prompt charts.
    static let terminal: [Primitive] = [
        Primitive(
            "terminal.words", .function, [.init("line", .string)], result: .list,
            "the words of a typed line, split at spaces and tabs (null: no words)"
        ) { inv throws(PrimitiveError) in
            guard let line = try inv.value(0).string else { return .value(.list([])) }
            return .value(.list(line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map { .string(String($0)) }))
        }
    ]
}
