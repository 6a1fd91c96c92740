import FlowchartModel
import Foundation
import SQLiteKit
import Testing

/// `run --watch`: one rerun per committed change; a revision that does not validate (an SQL edit
/// or a draft) prints its diagnostics once and the last valid revision keeps running; output
/// reaches a pipe as it is written.
@Suite struct WatchTests {
    @Test func oneRerunPerChangeAndAnInvalidRevisionIsReportedOnce() throws {
        let dir = try Binary.scratch()
        defer { Binary.remove(dir) }
        _ = try Binary.run(["init"], in: dir)
        let context = try Binary.write(#"{"iface": {"up": false}}"#, to: "down.json", in: dir)
        let process = Process()
        process.executableURL = Binary.url
        process.arguments = ["run", "dhcp.client.discover", "--context", context, "--watch", "--watch-limit", "2"]
        process.currentDirectoryURL = dir
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        defer { if process.isRunning { process.terminate() } }

        // The first trace arrives through the pipe while the process keeps running.
        var text = ""
        let deadline = Date().addingTimeInterval(20)
        while !text.contains("ended at E1") && Date() < deadline {
            text += String(decoding: out.fileHandleForReading.availableData, as: UTF8.self)
        }
        #expect(
            text.contains(
                "dhcp.client.discover (revision 1)\n    D1  Is the interface up (port on, link present)?  -> no"))
        #expect(process.isRunning)

        // Broken by hand: reported once, not rerun (the watcher polls five times a second).
        let db = try Database(path: dir.appendingPathComponent("l7flow.sqlite").path)
        try db.execute("UPDATE nodes SET body = 'eq(iface.up' WHERE chart_id = 'dhcp.client.discover' AND id = 'D1'")
        Thread.sleep(forTimeInterval: 1.2)
        // A draft: the same.
        #expect(
            try Binary.run(["edit", "set-body", "dhcp.client.discover", "D1", "eq(iface.up)", "--draft"], in: dir)
                .status == 0)
        Thread.sleep(forTimeInterval: 1.2)
        // Fixed: one rerun each time.
        #expect(
            try Binary.run(["edit", "set-body", "dhcp.client.discover", "D1", "eq(iface.up, false)"], in: dir).status
                == 0)
        Thread.sleep(forTimeInterval: 0.6)
        #expect(
            try Binary.run(["edit", "relabel", "dhcp.client.discover", "D1", "Is the interface down?"], in: dir).status
                == 0)
        text += String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let errors = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)

        #expect(process.terminationStatus == 0)
        #expect(
            text.components(separatedBy: "--- dhcp.client.discover changed; running dhcp.client.discover again ---")
                .count == 3)
        #expect(text.components(separatedBy: "dhcp.client.discover (revision").count == 4, Comment(rawValue: text))
        #expect(
            text.contains(
                "dhcp.client.discover (revision 4)\n    D1  Is the interface up (port on, link present)?  -> yes"))
        #expect(text.contains("dhcp.client.discover (revision 5)\n    D1  Is the interface down?  -> yes"))
        let broken =
            "error: dhcp.client.discover D1: cannot read 'eq(iface.up': expected ',' or ')' in the arguments of 'eq'"
        #expect(errors.components(separatedBy: broken).count == 2, Comment(rawValue: errors))
        #expect(
            errors.components(separatedBy: "error: dhcp.client.discover D1: eq needs the argument 'b'").count == 2,
            Comment(rawValue: errors))
        #expect(
            errors.components(separatedBy: "still running dhcp.client.discover revision 1, its last valid one").count
                == 3,
            Comment(rawValue: errors))
    }
}
