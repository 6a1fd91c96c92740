import FlowEngine
import FlowchartModel

extension ProtocolPack {
    /// TFTP: the `tftp.*` primitives of `spec/tftp.md`'s catalogue and the message types (UDP 69
    /// and the transfer ports).
    public static let tftp = ProtocolPack(
        name: "tftp", primitives: Registry.tftp,
        messages: ["TFTP_RRQ", "TFTP_WRQ", "TFTP_DATA", "TFTP_ACK", "TFTP_ERROR"],
        protocol: "tftp", transport: "udp")
}

extension Registry {
    /// The block size of RFC 1350 §2.
    static let tftpBlockSize = 512

    /// The `tftp.*` primitives of `spec/tftp.md`'s catalogue.
    static let tftp: [Primitive] = [
        Primitive(
            "tftp.block", .function, [.init("data", .string), .init("n", .int, nullable: false)], result: .map,
            "{data, size} of block n: characters (n-1)*512 up to n*512 of the file (Unicode code points, so \"\\r\\n\" counts 2); empty when that range lies past the end (n just past a file whose length is a multiple of 512, or further)"
        ) { inv throws(PrimitiveError) in
            // The spec counts characters; they are counted as Unicode code points (what a JSON
            // string's length is everywhere else), not as Swift's grapheme clusters, which would
            // make "\r\n" one character. A range past the end of the file is empty, as the
            // definition reads (characters (n-1)*512 up to n*512), rather than an error.
            let data = try inv.optionalString(0) ?? ""
            let n = try inv.int(1)
            let scalars = Array(data.unicodeScalars)
            let (start, overflow) = (n - 1).multipliedReportingOverflow(by: tftpBlockSize)
            var chunk = String.UnicodeScalarView()
            if n >= 1, !overflow, start < scalars.count {
                chunk.append(contentsOf: scalars[start..<min(start + tftpBlockSize, scalars.count)])
            }
            return .value(.map(["data": .string(String(chunk)), "size": .int(chunk.count)]))
        },
        Primitive(
            "tftp.join", .function, [.init("chunks", .list)], result: .string,
            "the received blocks joined in order"
        ) { inv throws(PrimitiveError) in
            var out = ""
            for (i, chunk) in try inv.list(0).enumerated() {
                switch chunk {
                case .null: continue
                case .string(let s): out += s
                default: throw PrimitiveError("tftp.join: block \(i + 1) is a \(chunk.typeName), not text")
                }
            }
            return .value(.string(out))
        },
    ]
}
