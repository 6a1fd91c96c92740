import FlowEngine
import FlowFuzz
import Testing

/// A brief seeded batch of the fuzzer, as CI runs it (`swift run -c release l7flow-fuzz` runs it at length).
@Suite struct FuzzBatchTests {
    static let corpus = Result { try FuzzCorpus() }

    @Test func aSeededBatchBreaksNothing() throws {
        let fuzzer = Fuzzer(corpus: try Self.corpus.get(), seed: 20_261_207, slowInput: .seconds(5))
        let report = fuzzer.run(0..<1_500)
        #expect(report.inputs == 1_500)
        #expect(report.violations.map(\.message) == [])
        #expect(report.slow.map(\.index) == [])
        // Every kind of input was made, and some of each were refused as bad input.
        #expect(report.byKind.keys.sorted() == ["JSON text", "chart text", "context", "events", "path text"])
        for (kind, counts) in report.byKind { #expect(counts.refused > 0, "no \(kind) input was refused") }
    }

    @Test func anInputIsMadeAgainFromItsSeedAndNumber() throws {
        let corpus = try Self.corpus.get()
        let first = FuzzInput.make(seed: 7, index: 1234, corpus: corpus).description
        #expect(FuzzInput.make(seed: 7, index: 1234, corpus: corpus).description == first)
        #expect(FuzzInput.make(seed: 8, index: 1234, corpus: corpus).description != first)
    }
}
