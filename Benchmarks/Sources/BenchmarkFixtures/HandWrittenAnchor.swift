import FlowchartModel

/// The anchor chart written by hand as a Swift `if` chain: what the engine is compared with.
/// Each function returns the end reached and the number of decisions taken on the way.
public enum HandWrittenAnchor {
    public enum End: Sendable {
        case request, bind, restart, drop

        public var id: String {
            switch self {
            case .request: "E1"
            case .bind: "E2"
            case .restart: "E3"
            case .drop: "E4"
            }
        }
    }

    /// The packet's fields as a hand-written client would keep them.
    public struct Packet: Sendable {
        let dport: Int
        let op: Int
        let xid: Int
        let chaddr: String
        let mtype: Int
        let yiaddr: String
        let lease: Int
        let serverID: String
    }

    /// The interface's fields.
    public struct Iface: Sendable {
        let xid: Int
        let mac: String
        let cstate: String
        let chosenServer: String
    }

    /// Typed fields read once from a packet context (outside the timed loop).
    public struct Input: Sendable {
        public let packet: Packet
        public let iface: Iface

        public init(_ context: [String: Value]) {
            let p = context["packet"] ?? .null
            let i = context["iface"] ?? .null
            packet = Packet(
                dport: p["dport"].int ?? 0, op: p["op"].int ?? 0, xid: p["xid"].int ?? 0,
                chaddr: p["chaddr"].string ?? "",
                mtype: p["mtype"].int ?? 0, yiaddr: p["yiaddr"].string ?? "", lease: p["lease"].int ?? 0,
                serverID: p["server_id"].string ?? "")
            iface = Iface(
                xid: i["xid"].int ?? 0, mac: i["mac"].string ?? "", cstate: i["cstate"].string ?? "",
                chosenServer: i["chosen_server"].string ?? "")
        }
    }

    /// Passes over the packets, `cycles` times; returns the decisions taken. The loop lives here,
    /// beside `decide`, so the compiler treats the pair as hand-written code in one module.
    public static func run(cycles: Int, _ inputs: [Input]) -> Int {
        var decisions = 0
        for _ in 0..<cycles {
            for input in inputs { decisions &+= decide(input.packet, input.iface).1 }
        }
        return decisions
    }

    /// The same passes, reading the packets' context values.
    public static func run(cycles: Int, _ contexts: [[String: Value]]) -> Int {
        var decisions = 0
        for _ in 0..<cycles {
            for context in contexts { decisions &+= decide(context).1 }
        }
        return decisions
    }

    /// The chart on typed structs.
    @inline(never)
    public static func decide(_ p: Packet, _ i: Iface) -> (End, Int) {
        guard p.dport == 68 else { return (.drop, 1) }
        guard p.op == 2 else { return (.drop, 2) }
        guard p.xid == i.xid else { return (.drop, 3) }
        guard p.chaddr == i.mac else { return (.drop, 4) }
        if p.mtype == 2 {
            guard i.cstate == "SELECTING" else { return (.drop, 6) }
            return (p.yiaddr != "0.0.0.0" && p.lease > 0 ? .request : .drop, 7)
        }
        if p.mtype == 5 {
            guard i.cstate == "REQUESTING" || i.cstate == "RENEWING" || i.cstate == "REBINDING" else {
                return (.drop, 7)
            }
            return (p.serverID == i.chosenServer || i.cstate != "REQUESTING" ? .bind : .drop, 8)
        }
        return (p.mtype == 6 ? .restart : .drop, 7)
    }

    /// The chart reading the same context values the engine reads (maps of `Value`).
    @inline(never)
    public static func decide(_ context: [String: Value]) -> (End, Int) {
        let p = context["packet"] ?? .null
        let i = context["iface"] ?? .null
        guard p["dport"] == 68 else { return (.drop, 1) }
        guard p["op"] == 2 else { return (.drop, 2) }
        guard p["xid"] == i["xid"] else { return (.drop, 3) }
        guard p["chaddr"] == i["mac"] else { return (.drop, 4) }
        if p["mtype"] == 2 {
            guard i["cstate"] == "SELECTING" else { return (.drop, 6) }
            return (p["yiaddr"] != "0.0.0.0" && (p["lease"].number ?? 0) > 0 ? .request : .drop, 7)
        }
        if p["mtype"] == 5 {
            let state = i["cstate"]
            guard state == "REQUESTING" || state == "RENEWING" || state == "REBINDING" else { return (.drop, 7) }
            return (p["server_id"] == i["chosen_server"] || state != "REQUESTING" ? .bind : .drop, 8)
        }
        return (p["mtype"] == 6 ? .restart : .drop, 7)
    }
}
