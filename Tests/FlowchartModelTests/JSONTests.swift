import Testing

@testable import FlowchartModel

@Suite struct JSONTests {
    @Test func keepsIntegersAndDoublesApart() throws {
        let v = try JSON.parse(#"{"a": 1, "b": 1.5, "c": -2, "d": 1e3, "e": [true, null, "x"]}"#)
        #expect(v["a"] == .int(1))
        #expect(v["b"] == .double(1.5))
        #expect(v["c"] == .int(-2))
        #expect(v["d"] == .double(1000))
        #expect(v["e"] == .list([.bool(true), .null, .string("x")]))
    }

    @Test func decodesEscapes() throws {
        #expect(try JSON.parse(#""a\"b\\c\n\u00e9\ud83d\ude00""#) == .string("a\"b\\c\né😀"))
    }

    @Test func reportsLineAndColumn() {
        #expect(throws: JSON.ParseError(line: 2, column: 9, reason: "expected ',' or '}' in an object")) {
            try JSON.parse("{\"a\": 1,\n \"b\": 2 \"c\": 3}")
        }
        #expect(throws: JSON.ParseError.self) { try JSON.parse("[1, 2") }
        #expect(throws: JSON.ParseError.self) { try JSON.parse("{} x") }
    }

    @Test func encodesWithSortedKeysAndRoundTrips() throws {
        let v: Value = ["b": [1, 2.5, "t\"x"], "a": nil, "c": ["z": true]]
        let text = JSON.encode(v)
        #expect(text == #"{"a": null, "b": [1, 2.5, "t\"x"], "c": {"z": true}}"#)
        #expect(try JSON.parse(text) == v)
        #expect(try JSON.parse(JSON.encode(v, pretty: true)) == v)
    }
}

@Suite struct ValueTests {
    @Test func truthiness() {
        for falsy: Value in [nil, false, 0, 0.0, "", [], [:]] { #expect(!falsy.isTruthy) }
        for truthy: Value in [true, 1, 0.5, "x", [nil], ["k": nil]] { #expect(truthy.isTruthy) }
    }

    @Test func templateText() {
        #expect(Value.double(4).text == "4")
        #expect(Value.double(0.25).text == "0.25")
        #expect(Value.null.text == "")
        #expect(Value.int(67).text == "67")
    }

    @Test func looseEqualityComparesNumbersByValue() {
        #expect(Value.int(4).looselyEquals(.double(4)))
        #expect(!Value.int(4).looselyEquals(.string("4")))
        #expect(Value.list([1, 2]).looselyEquals(.list([1.0, 2.0])))
    }
}
