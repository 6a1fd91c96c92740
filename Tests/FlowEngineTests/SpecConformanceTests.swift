import FlowchartModel
import Foundation
import Testing

/// Each bundled chart's nodes are the spec's: the same ids, kinds, labels, bodies (up to line
/// breaks and spacing) and edges as the node block of `../shared/spec/<file>.md`. Skipped where
/// the spec folder is not beside the checkout.
@Suite struct SpecConformanceTests {
    static let specFolder = BundledCharts.folder.deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("shared/spec")

    /// Chart id → the spec's node block, from every `## <id> — title` section with a `Nodes:` block.
    static let specBlocks: [String: String] = {
        guard let files = try? FileManager.default.contentsOfDirectory(atPath: specFolder.path) else { return [:] }
        var out: [String: String] = [:]
        for file in files where file.hasSuffix(".md") {
            guard let text = try? String(contentsOf: specFolder.appendingPathComponent(file), encoding: .utf8) else { continue }
            var current: String?
            var lines = text.split(separator: "\n", omittingEmptySubsequences: false)[...]
            while let line = lines.popFirst() {
                if line.hasPrefix("## ") {
                    let head = line.dropFirst(3).split(separator: " ").first.map(String.init) ?? ""
                    current = head.trimmingCharacters(in: CharacterSet(charactersIn: "`"))
                } else if line.hasPrefix("Nodes:"), let id = current, lines.first == "```" {
                    lines.removeFirst()
                    var block: [Substring] = []
                    while let l = lines.popFirst(), l != "```" { block.append(l) }
                    out[id] = block.joined(separator: "\n")
                }
            }
        }
        return out
    }()

    static func normalized(_ s: String) -> String {
        s.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).joined(separator: " ")
    }

    @Test(.enabled(if: !specBlocks.isEmpty), arguments: BundledCharts.charts.map(\.id))
    func nodesAreTheSpecs(_ id: String) throws {
        let chart = try #require(BundledCharts.charts.first { $0.id == id })
        let block = try #require(Self.specBlocks[id], "the spec has no node block for \(id)")
        let spec = try ChartText.parse("chart \(id)\nprotocol: p\nrole: r\ntrigger: t\n\n" + block + "\n", source: "spec/\(id)")
        #expect(chart.nodes.map(\.id) == spec.nodes.map(\.id))
        for (mine, theirs) in zip(chart.nodes, spec.nodes) {
            #expect(mine.kind == theirs.kind, "\(id) \(mine.id) kind")
            #expect(mine.label == theirs.label, "\(id) \(mine.id) label")
            #expect(Self.normalized(mine.body) == Self.normalized(theirs.body), "\(id) \(mine.id) body")
            #expect(mine.edges == theirs.edges, "\(id) \(mine.id) edges")
        }
    }

    @Test(.enabled(if: !specBlocks.isEmpty))
    func everySpecChartIsBundled() {
        let bundled = Set(BundledCharts.charts.map(\.id))
        #expect(Set(Self.specBlocks.keys).subtracting(bundled).sorted() == [])
    }
}
