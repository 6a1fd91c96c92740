import FlowEngine
import FlowchartModel

extension ProtocolPack {
    /// Syslog: the `syslog.*` primitives of `spec/ntp-syslog.md`'s catalogue and the message type.
    public static let syslog = ProtocolPack(
        name: "syslog", primitives: Registry.syslog, messages: ["SYSLOG"], protocol: "syslog", transport: "udp")
}

extension Registry {
    /// The Syslog primitives of `spec/ntp-syslog.md`'s catalogue.
    static let syslog: [Primitive] = [
        Primitive(
            "syslog.pri", .function, [.init("facility", .int), .init("severity", .int, nullable: false)], result: .int,
            "the PRI value: facility × 8 + severity (a missing facility is IOS's default, 23 = local7)"
        ) { inv throws(PrimitiveError) in
            let facility = try inv.value(0).isNull ? 23 : try inv.int(0)
            let severity = try inv.int(1)
            guard (0...23).contains(facility) else {
                throw PrimitiveError("syslog.pri: facility must be 0 to 23, not \(facility)")
            }
            guard (0...7).contains(severity) else {
                throw PrimitiveError("syslog.pri: severity must be 0 to 7, not \(severity)")
            }
            return .value(.int(facility * 8 + severity))
        },
        Primitive(
            "syslog.ios_text", .function,
            [
                .init("msg", .map, nullable: false), .init("logging", .map), .init("clock", .number),
                .init("synced", .bool),
            ], result: .string,
            "the IOS log line: optional \"<seq>: \" (seq zero-padded to six digits, longer numbers in full), optional \"*Mmm dd HH:MM:SS.mmm: \" (UTC; * when not synced), then %FAC-SEV-MNEMONIC: text"
        ) { inv throws(PrimitiveError) in
            let msg = Value.map(try inv.map(0))
            let logging = Value.map(try inv.map(1))
            let synced = try inv.value(3) == .bool(true)
            var text = ""
            if logging["seq_numbers"] == .bool(true) {
                guard !msg["seq"].isNull else {
                    throw PrimitiveError("syslog.ios_text: sequence numbers are on but the message has no seq")
                }
                guard let seq = msg["seq"].int, seq >= 0 else {
                    throw PrimitiveError(
                        "syslog.ios_text: the message's seq must be a whole number of 0 or more, not \(JSON.encode(msg["seq"]))"
                    )
                }
                text += Syslog.sequenceNumber(seq) + ": "
            }
            if logging["timestamps"].string == "datetime" {
                let clock = try inv.value(2)
                guard let seconds = clock.number, seconds.isFinite else {
                    throw PrimitiveError("syslog.ios_text: the clock must be a number, not \(JSON.encode(clock))")
                }
                text += (synced ? "" : "*") + (try Syslog.timestamp(seconds)) + ": "
            }
            for key in ["fac", "severity", "mnemonic"] where msg[key].isNull {
                throw PrimitiveError("syslog.ios_text: the message has no \(key)")
            }
            text += "%\(msg["fac"].text)-\(msg["severity"].text)-\(msg["mnemonic"].text): \(msg["text"].text)"
            return .value(.string(text))
        },
        Primitive(
            "syslog.parse_pri", .function, [.init("payload", .string)], result: .map,
            "{pri, facility, severity, rest} for a payload starting <n> (1-3 digits, no leading zero unless n is 0, n ≤ 191), else null"
        ) { inv throws(PrimitiveError) in
            guard let payload = try inv.value(0).string else { return .none }
            guard let parsed = Syslog.parsePRI(payload) else { return .none }
            return .value(
                .map([
                    "pri": .int(parsed.pri), "facility": .int(parsed.pri / 8), "severity": .int(parsed.pri % 8),
                    "rest": .string(parsed.rest),
                ]))
        },
    ]
}

/// Syslog helpers shared by the primitives.
enum Syslog {
    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// `Mmm dd HH:MM:SS.mmm` in UTC for seconds since 1970, rounded to the millisecond; the day
    /// right-aligned in two characters. Clocks beyond ±100 million days of 1970 (the range of
    /// ECMAScript dates) are refused.
    static func timestamp(_ seconds: Double) throws(PrimitiveError) -> String {
        let ms: Int64
        do {
            ms = Int64(
                try Int(
                    checking: seconds * 1000, "syslog.ios_text: the clock in milliseconds",
                    rounding: .toNearestOrAwayFromZero,
                    in: -8_640_000_000_000_000...8_640_000_000_000_000))
        } catch {
            throw PrimitiveError(error.description)
        }
        let (days, msOfDay) = floorDiv(ms, 86_400_000)
        let (year, month, day) = civil(days)
        _ = year
        let h = msOfDay / 3_600_000
        let m = msOfDay / 60_000 % 60
        let s = msOfDay / 1000 % 60
        let f = msOfDay % 1000
        func pad(_ v: Int64, _ width: Int, _ fill: Character = "0") -> String {
            let t = String(v)
            return String(repeating: fill, count: max(0, width - t.count)) + t
        }
        return "\(months[month - 1]) \(pad(Int64(day), 2, " ")) \(pad(h, 2)):\(pad(m, 2)):\(pad(s, 2)).\(pad(f, 3))"
    }

    /// The sequence number as IOS prints it with `service sequence-numbers`: zero-padded to six
    /// digits (`000007`); a number of more than six digits is written in full.
    static func sequenceNumber(_ seq: Int) -> String {
        let digits = String(seq)
        return String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }

    static func floorDiv(_ a: Int64, _ b: Int64) -> (Int64, Int64) {
        let q = a >= 0 ? a / b : -((-a + b - 1) / b)
        return (q, a - q * b)
    }

    /// Year, month (1-12) and day of a count of days since 1970-01-01 (proleptic Gregorian).
    static func civil(_ daysSinceEpoch: Int64) -> (Int64, Int, Int) {
        let z = daysSinceEpoch + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), Int(m), Int(d))
    }

    /// RFC 3164 §4.1.1 PRI: `<`, one to three digits without a leading zero (except `<0>`), `>`, value ≤ 191.
    static func parsePRI(_ payload: String) -> (pri: Int, rest: String)? {
        let chars = Array(payload)
        guard chars.first == "<" else { return nil }
        var i = 1
        while i < chars.count, i <= 4, chars[i].isASCII, chars[i].isNumber { i += 1 }
        let digits = String(chars[1..<i])
        guard (1...3).contains(digits.count), i < chars.count, chars[i] == ">" else { return nil }
        guard digits == "0" || !digits.hasPrefix("0"), let n = Int(digits), n <= 191 else { return nil }
        return (n, String(chars[(i + 1)...]))
    }
}
