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
        Primitive("tftp.block", .function, [.init("data", .string), .init("n", .int, nullable: false)], result: .map,
                  "{data, size} of block n: characters (n-1)*512 up to n*512 of the file; empty when n is just past a file whose length is a multiple of 512") { inv throws(PrimitiveError) in
            let data = try inv.optionalString(0) ?? ""
            let n = try inv.int(1)
            guard n >= 1 else { throw PrimitiveError("tftp.block: block numbers start at 1, not \(n)") }
            let chars = Array(data)
            let (start, overflow) = (n - 1).multipliedReportingOverflow(by: tftpBlockSize)
            guard !overflow, start <= chars.count else {
                throw PrimitiveError("tftp.block: block \(n) lies past the end of a \(chars.count)-character file")
            }
            let chunk = String(chars[start..<min(start + tftpBlockSize, chars.count)])
            return .value(.map(["data": .string(chunk), "size": .int(chunk.count)]))
        },
        Primitive("tftp.join", .function, [.init("chunks", .list)], result: .string,
                  "the received blocks joined in order") { inv throws(PrimitiveError) in
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
