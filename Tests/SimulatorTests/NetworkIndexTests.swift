import FlowchartModel
import Foundation
import Testing

@testable import Simulator

/// The structures that keep the simulator's cost per event flat: the byte-level IPv4 reader, the
/// event queue's buckets per due time, and the LAN address index behind conflict warnings.
@Suite struct NetworkIndexTests {
    @Test(arguments: [
        ("192.168.1.10", UInt32(0xC0A8_010A)), ("0.0.0.0", 0), ("255.255.255.255", 0xFFFF_FFFF),
        ("010.001.000.001", 0x0A01_0001),
    ])
    func aDottedQuadReadsAsItsNumber(_ text: String, _ number: UInt32) {
        #expect(Addr.v4(text) == number)
    }

    @Test(arguments: [
        "", "1.2.3", "1.2.3.4.5", "1..2.3", "256.1.1.1", "1.2.3.1000", "1.2.3.-4", " 1.2.3.4", "1.2.3.4 ", "a.b.c.d",
        "fe80::1", "1.2.3.", ".1.2.3",
    ])
    func anythingElseIsNoAddress(_ text: String) {
        #expect(Addr.v4(text) == nil)
    }

    @Test func itemsComeOutByTimeThenInTheOrderTheyWentIn() {
        var queue = EventQueue<String>()
        queue.push(2, "b1")
        queue.push(1, "a1")
        queue.push(2, "b2")
        queue.push(1, "a2")
        var out: [String] = []
        while let (time, item) = queue.pop() {
            out.append(item)
            // Pushed at the time being taken: after everything already due then.
            if item == "a1" { queue.push(time, "a3") }
            if item == "b2" { queue.push(time, "b3") }
        }
        #expect(out == ["a1", "a2", "a3", "b1", "b2", "b3"])
        #expect(queue.nextTime == nil)
    }

    @Test func conflictsAreWarnedByLANNameNamingTheFirstTwoHolders() throws {
        func iface(_ lan: String, _ ip: String) -> String {
            #"{"name": "Fa0", "lan": "\#(lan)", "ip": "\#(ip)", "mask": "255.255.255.0"}"#
        }
        let devices = [
            ("A", iface("zeta", "10.0.0.1")), ("B", iface("zeta", "10.0.0.1")), ("C", iface("zeta", "10.0.0.1")),
            ("D", iface("alpha", "10.0.0.7")), ("E", iface("alpha", "10.0.0.7")), ("F", iface("alpha", "10.0.0.8")),
        ].map { #""\#($0.0)": {"device": {"interfaces": [\#($0.1)]}}"# }.joined(separator: ", ")
        let sim = try SimulatorFixture().simulate(#"{"devices": {\#(devices)}}"#)
        #expect(
            sim.events.filter { $0.kind == .warning }.compactMap(\.reason) == [
                "IP address 10.0.0.7 is used by D Fa0 and E Fa0 on LAN alpha",
                "IP address 10.0.0.1 is used by A Fa0 and B Fa0 on LAN zeta",
            ])
    }
}
