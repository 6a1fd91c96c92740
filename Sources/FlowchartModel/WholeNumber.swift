/// A number that cannot become the whole number asked for: not finite, not whole, or outside the
/// range the use allows. Every conversion of a `Double` to an `Int` in the engine goes through
/// `Int(checking:_:rounding:in:)`, so such a number is an error naming what it was, never a trap.
public struct WholeNumberError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What the number is, for the message: `the key local.k`, `start_timer: seconds`.
    public let what: String
    /// The number given (after the rounding the use asked for).
    public let value: Double
    /// The whole numbers the use accepts.
    public let range: ClosedRange<Int>

    public init(what: String, value: Double, range: ClosedRange<Int>) {
        self.what = what
        self.value = value
        self.range = range
    }

    public var description: String {
        let shown =
            value.isNaN ? "NaN" : value.isInfinite ? (value < 0 ? "-infinity" : "infinity") : Value.format(value)
        if range == Int.min...Int.max { return "\(what) is \(shown), which is not a whole number that fits in 64 bits" }
        return "\(what) is \(shown), which is not a whole number from \(range.lowerBound) to \(range.upperBound)"
    }
}

extension Int {
    /// Converts a double to a whole number without ever trapping: `rounding` (when given) is
    /// applied first; a value that is not finite, not whole, or outside `range` throws an error
    /// that names `what`.
    public init(
        checking value: Double, _ what: @autoclosure () -> String, rounding rule: FloatingPointRoundingRule? = nil,
        in range: ClosedRange<Int> = Int.min...Int.max
    ) throws(WholeNumberError) {
        let rounded = rule.map { value.rounded($0) } ?? value
        // `Int(exactly:)` is nil for NaN, infinities, fractions and magnitudes of 2^63 and more.
        guard let whole = Int(exactly: rounded), range.contains(whole) else {
            throw WholeNumberError(what: what(), value: rounded, range: range)
        }
        self = whole
    }
}

extension Value {
    /// The largest magnitude below which every whole double is an exact integer (2^53).
    public static let exactIntegerLimit: Double = 9_007_199_254_740_992

    /// A number as a value: an int when it is whole and exactly representable (|d| ≤ 2^53), else a
    /// double. The one rule by which computed numbers, clocks and trace times become values.
    public init(numeric d: Double) {
        if abs(d) <= Value.exactIntegerLimit, let i = try? Int(checking: d, "a number") {
            self = .int(i)
        } else {
            self = .double(d)
        }
    }
}
