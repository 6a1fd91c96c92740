import Protocols
import Testing

@Suite struct IPv4Tests {
    @Test func parsesDottedQuadsOnly() {
        #expect(IPv4.parse("192.168.1.10") == 0xC0A8_010A)
        #expect(IPv4.parse("0.0.0.0") == 0)
        for bad in [
            "+1.2.3.4", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1..2.3", " 1.2.3.4", "1.2.3.4 ", "a.b.c.d", "1.2.3.-4",
        ] {
            #expect(IPv4.parse(bad) == nil, Comment(rawValue: bad))
        }
        for bad in ["1.2.3.4.", "0010.1.1.1", "1\u{301}.2.3.4", "1.2.3.٤", "", "...", "1.2.3.999"] {
            #expect(IPv4.parse(bad) == nil, Comment(rawValue: bad))
        }
        #expect(IPv4.parse("010.1.1.1") == 0x0A01_0101)
        #expect(IPv4.parse("255.255.255.255") == 0xFFFF_FFFF)
        #expect(IPv4.format(0xC0A8_010A) == "192.168.1.10")
        #expect(IPv4.format(IPv4.classfulMask(IPv4.parse("172.16.5.4")!)) == "255.255.0.0")
    }
}
