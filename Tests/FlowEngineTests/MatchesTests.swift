import FlowEngine
import FlowchartModel
import Foundation
import Protocols
import Testing

/// `matches` answers as the regular-expression engine does, also for the plain-text patterns it
/// matches without that engine.
@Suite struct MatchesTests {
    static let chart: ProgramSet = {
        let text = """
            chart t.match.it
            protocol: t
            role: match
            trigger: it

            D1 decision "Matches?" [matches(packet.text, packet.pattern)] yes -> E2 no -> E3
            E2 end consumed "matched"
            E3 end dropped "no match"
            """
        do {
            return try Compiler(registry: Registry.l7flow).compile([
                Compiler.Input(ChartText.parse(text, source: "t.match.it"))
            ])
        } catch {
            fatalError("the test chart does not compile: \(error)")
        }
    }()

    static let patterns = [
        "^DHCP", "DHCP", "", "^", "ab c", "x-y", "^% ", "OFFER", "^é", "^DHCP$", "D.CP", "^(?i)dhcp",
    ]
    static let texts = [
        "DHCPOFFER", "xDHCP", "", "DHCP\u{301}", "é DHCP", "ab c", "% show", "zx-yz", "dhcp", "DHCP", "DHCP\n", "éDHCP",
    ]

    @Test(arguments: patterns)
    func answersAsTheRegularExpressionEngine(_ pattern: String) throws {
        guard let regex = try? NSRegularExpression(pattern: pattern) else {
            let refusal = RunError(
                chart: "t.match.it", node: "D1",
                "matches: \(JSON.encode(.string(pattern))) is not a valid regular expression")
            #expect(throws: refusal) {
                try Runner.run(
                    programs: Self.chart, chart: "t.match.it",
                    context: ["packet": ["text": "x", "pattern": .string(pattern)]])
            }
            return
        }
        for text in Self.texts {
            let expected = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
            let report = try Runner.run(
                programs: Self.chart, chart: "t.match.it",
                context: ["packet": ["text": .string(text), "pattern": .string(pattern)]])
            #expect(
                report.path == [expected ? "D1:yes" : "D1:no", expected ? "E2" : "E3"],
                "matches(\(JSON.encode(.string(text))), \(JSON.encode(.string(pattern))))")
        }
    }
}
