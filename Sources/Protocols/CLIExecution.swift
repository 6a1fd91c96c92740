import FlowEngine
import FlowchartModel

/// The stand-in for the IOS command interpreter behind `cli.execute` (the spec leaves the
/// interpreter out of scope). It knows only what a vty session needs to stay coherent:
/// - an empty line: no output, the prompt again;
/// - `disable`: back to privilege 1 (`session.privilege`);
/// - `enable` at privilege 15: nothing to do;
/// - `show privilege`: "Current privilege level is N";
/// - anything else is unknown: a single word gets IOS's "Translating ..." and "% Unknown command
///   or computer name" lines (IOS tries a word it does not know as a host name to telnet to),
///   several words get "% Invalid input detected at '^' marker.".
/// The prompt is `<hostname>#` above privilege 1, `<hostname>>` otherwise ("Router" without a hostname).
enum CLIExecution {
    static func run(_ inv: Invocation, line: String) throws(PrimitiveError) -> PrimitiveResult {
        let words = line.split(separator: " ").map(String.init)
        var privilege = try inv.read(ContextPath("session.privilege")).int ?? 1
        var output = ""
        switch words.map({ $0.lowercased() }) {
        case []:
            break
        case ["disable"]:
            if privilege > 1 {
                privilege = 1
                try inv.write(ContextPath("session.privilege"), .int(1))
            }
        case ["enable"] where privilege >= 15:
            break
        case ["show", "privilege"]:
            output = "Current privilege level is \(privilege)\n"
        case let w where w.count == 1:
            output =
                "Translating \"\(words[0])\"...domain server (255.255.255.255)\n"
                + "% Unknown command or computer name, or unable to find computer address\n"
        default:
            output = "% Invalid input detected at '^' marker.\n"
        }
        let hostname = try inv.read(ContextPath("device.hostname")).string ?? "Router"
        let prompt = hostname + (privilege > 1 ? "#" : ">")
        return .value(.map(["output": .string(output), "prompt": .string(prompt)]))
    }
}
