import FlowchartModel
import Testing

@testable import FlowStore

/// What `run` reads: the chart and the charts it calls, and the bundle's digest made at build time.
@Suite struct ClosureLoadingTests {
    @Test func aChartComesWithTheChartsItCallsAndNoOthers() throws {
        let store = try ChartStore(path: storePath())
        #expect(
            try store.loadClosure(of: "dhcp.client.receive").map(\.chart.id) == [
                "dhcp.client.receive", "dhcp.client.discover",
            ])
        #expect(try store.loadClosure(of: "dhcp.client.discover").map(\.chart.id) == ["dhcp.client.discover"])
        #expect(try store.loadClosure(of: "no.such.chart").isEmpty)
    }

    @Test func aCalleeNotStoredIsLeftOut() throws {
        let caller = Chart(
            id: "demo.client.call", title: "Calls", protocolName: "demo", role: "client", trigger: "call",
            nodes: [
                Node(id: "C1", kind: .call, label: "Ask", body: "demo.missing.helper()", edges: [Edge(.next, "E2")]),
                Node(id: "E2", kind: .end, label: "done", body: "done"),
            ])
        let found = try ChartStore.closure(of: caller.id) {
            $0 == caller.id ? StoredChart(chart: caller, revision: 1, draft: false) : nil
        }
        #expect(found.map(\.chart.id) == ["demo.client.call"])
    }

    @Test func theChartsOfAProtocolOrWritingATypeAreReadAndNoOthers() throws {
        let store = try ChartStore(path: storePath())
        let all = try store.loadAll()
        let dhcp = try store.loadCharts(protocols: ["dhcp"], writingTypes: [])
        #expect(dhcp.map(\.chart.id) == all.filter { $0.chart.protocolName == "dhcp" }.map(\.chart.id))
        #expect(dhcp.count > 1 && dhcp.count < all.count)
        let writers = try store.loadCharts(protocols: [], writingTypes: ["DHCPREQUEST", "DNS_QUERY"])
        let expected = all.filter { stored in
            stored.chart.nodes.contains {
                $0.kind == .action && ($0.body.contains("\"DHCPREQUEST\"") || $0.body.contains("\"DNS_QUERY\""))
            }
        }
        #expect(writers.map(\.chart.id) == expected.map(\.chart.id))
        #expect(!writers.isEmpty)
        #expect(try store.loadCharts(protocols: [], writingTypes: []).isEmpty)
    }

    @Test func theDigestMadeAtBuildTimeIsTheOneOpeningWouldCompute() {
        #expect(Bundled.chartsDigest == ChartStore.digest(Bundled.charts.map { $0.path + "\n" + $0.text }))
    }
}
