import FlowchartModel
import Foundation
import Testing

/// The conventions of DESIGN.md's CLI contract: `--db` before or after any command, `--json` on
/// every command and for errors, `--version`, help text on every argument, and the exit status.
@Suite struct CLIConventionTests {
    static let offer = EditingTests.root.appendingPathComponent("Flowcharts/examples/dhcp-client-offer.json").path

    @Test func theDatabaseOptionGoesBeforeOrAfterAnyCommand() throws {
        let dir = try Binary.scratch()
        defer { Binary.remove(dir) }
        let db = dir.appendingPathComponent("mine.sqlite").path
        let lines: [[String]] = [
            ["--db", db, "edit", "retarget", "dhcp.server.receive", "D7", "no", "A16"],
            ["edit", "--db", db, "relabel", "dhcp.server.receive", "D7", "Free address?"],
            ["edit", "swap", "--db=\(db)", "dhcp.client.discover", "D2"],
            ["edit", "swap", "dhcp.client.discover", "D2", "--db", db],
        ]
        for (i, args) in lines.enumerated() {
            let r = try Binary.run(args, in: dir)
            #expect(r.status == 0, Comment(rawValue: "\(args): \(r.stderr)"))
            #expect(r.stdout.hasSuffix("revision \(i < 2 ? i + 2 : i)\n"), Comment(rawValue: r.stdout))
        }
        for args in [
            ["--db", db, "primitives"], ["primitives", "--db", db], ["--db", db, "list"],
            ["history", "dhcp.server.receive", "--db", db],
        ] {
            let r = try Binary.run(args, in: dir)
            #expect(r.status == 0, Comment(rawValue: "\(args): \(r.stderr)"))
        }
        #expect(try Binary.run(["--db", db, "history", "dhcp.server.receive"], in: dir).stdout.contains("r3  "))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("l7flow.sqlite").path))
    }

    @Test func usageVersionAndHelpOnEveryArgument() throws {
        let dir = try Binary.scratch()
        defer { Binary.remove(dir) }
        let help = try Binary.run(["--help"], in: dir)
        #expect(help.stdout.contains("USAGE: l7flow [--db <path>] [--json] <subcommand>"))
        let version = try Binary.run(["--version"], in: dir)
        #expect(version.status == 0)
        #expect(version.stdout.split(separator: ".").count == 3)
        let commands = [
            "init", "list", "show", "validate", "run", "primitives", "import", "export", "history", "diff", "revert",
            "edit add-node", "edit remove-node", "edit relabel", "edit set-body", "edit add-edge", "edit remove-edge",
            "edit retarget", "edit swap", "edit rename", "edit copy", "edit bind",
        ]
        for command in commands {
            let r = try Binary.run(command.split(separator: " ").map(String.init) + ["--help"], in: dir)
            #expect(r.status == 0, Comment(rawValue: command))
            #expect(r.stdout.contains("  --db <path>"), Comment(rawValue: command))
            // Every entry under ARGUMENTS and OPTIONS has a sentence beside it (or on the next line).
            let lines = r.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            for (i, line) in lines.enumerated()
            where line.hasPrefix("  <") || line.hasPrefix("  --") || line.hasPrefix("  -") {
                let words = line.split(separator: " ").filter { !$0.hasPrefix("-") && !$0.hasPrefix("<") }
                let hasText = !words.isEmpty || (i + 1 < lines.count && lines[i + 1].hasPrefix("      "))
                #expect(hasText, Comment(rawValue: "\(command): \(line)"))
            }
        }
    }

    @Test func shellCompletionOffersTheChartIDsOfTheDatabase() throws {
        let dir = try Binary.scratch()
        defer { Binary.remove(dir) }
        let script = try Binary.run(["--generate-completion-script", "bash"], in: dir)
        #expect(script.stdout.contains("---completion show -- positional@0"))
        _ = try Binary.run(["edit", "copy", "dns.server.receive", "dns.server.mine"], in: dir)
        // What the script runs for `l7flow show dns.server.m<TAB>`.
        let offered = try Binary.run(
            ["---completion", "show", "--", "positional@0", "2", "12", "l7flow", "show", "dns.server.m"], in: dir)
        #expect(offered.stdout == "dns.server.mine\n")
        let all = try Binary.run(
            ["---completion", "run", "--", "positional@0", "2", "0", "l7flow", "run", ""], in: dir)
        #expect(all.stdout.split(separator: "\n").count == 62)
    }

    @Test func everyCommandPrintsJSON() throws {
        let dir = try Binary.scratch()
        defer { Binary.remove(dir) }
        func json(_ args: [String]) throws -> Value {
            let r = try Binary.run(args + ["--json"], in: dir)
            #expect(r.status == 0, Comment(rawValue: "\(args): \(r.stderr)"))
            return try JSON.parse(r.stdout)
        }
        #expect(try json(["init"])["charts"] == .int(61))
        #expect(try json(["list"]).list?.first?["id"] == "aaa.client.next_method")
        #expect(try json(["show", "dhcp.client.discover"])["id"] == "dhcp.client.discover")
        #expect(try json(["validate", "dhcp.client.discover"])["valid"] == true)
        #expect(
            try json(["edit", "retarget", "dhcp.server.receive", "D7", "no", "A16"])
                == ["chart": "dhcp.server.receive", "revision": 2, "changed": true, "draft": false, "problems": []])
        #expect(try json(["edit", "retarget", "dhcp.server.receive", "D7", "no", "A16"])["changed"] == false)
        #expect(try json(["history", "dhcp.server.receive"]).list?.map { $0["revision"] } == [1, 2])
        #expect(try json(["diff", "dhcp.server.receive", "1", "2"])["changes"] == ["~ edge D7 no -> A16 (was E1)"])
        #expect(
            try json(["revert", "dhcp.server.receive", "1"]) == [
                "chart": "dhcp.server.receive", "revision": 3, "content_of": 1,
            ])
        let out = dir.appendingPathComponent("out").path
        #expect(
            try json(["export", "dhcp.client.discover", "--to", out])["written"] == [
                .string(out + "/dhcp/dhcp.client.discover.flow")
            ])
        #expect(try json(["import", out])["imported"] == ["dhcp.client.discover"])
        #expect(try json(["edit", "copy", "dhcp.client.discover", "dhcp.client.try"])["chart"] == "dhcp.client.try")
        #expect(try json(["edit", "rename", "dhcp.client.try", "dhcp.client.try2"])["was"] == "dhcp.client.try")
        #expect(
            try json(["edit", "bind", "dhcp", "client", "discover", "dhcp.client.try2"])["chart"] == "dhcp.client.try2")
        #expect(try json(["primitives"]).list?.isEmpty == false)
        #expect(try json(["run", "dhcp.client.receive", "--context", Self.offer])["end"]["outcome"] == "consumed")
    }

    @Test func errorsAreJSONOnStandardErrorWithTheChartAndNode() throws {
        let dir = try Binary.scratch()
        defer { Binary.remove(dir) }
        func error(_ args: [String], status: Int32 = 1) throws -> Value {
            let r = try Binary.run(args, in: dir)
            #expect(r.status == status, Comment(rawValue: "\(args): \(r.stderr)"))
            #expect(!r.stderr.hasPrefix("error:"), Comment(rawValue: r.stderr))
            return try JSON.parse(r.stderr)["error"]
        }
        let missing = try error(["show", "dhcp.nothing", "--json"])
        #expect(missing["code"] == "chart-not-found" && missing["chart"] == "dhcp.nothing")
        let refused = try error(["--json", "edit", "set-body", "dhcp.client.discover", "D1", "eq(iface.up)"])
        #expect(
            refused["code"] == "invalid-chart" && refused["chart"] == "dhcp.client.discover" && refused["node"] == "D1")
        #expect(refused["diagnostics"][0]["message"] == "eq needs the argument 'b'")
        let budget = try error(["run", "dhcp.client.receive", "--context", Self.offer, "--max-steps", "2", "--json"])
        #expect(budget["code"] == "run-failed" && budget["chart"] == "dhcp.client.receive" && budget["node"] == "D3")
        let usage = try error(["frobnicate", "--json"], status: 2)
        #expect(usage["code"] == "usage")
    }

    @Test func aRunStoppedByTheBudgetPrintsItsTraceSoFar() throws {
        let dir = try Binary.scratch()
        defer { Binary.remove(dir) }
        let text = try Binary.run(["run", "dhcp.client.receive", "--context", Self.offer, "--max-steps", "2"], in: dir)
        #expect(text.status == 1)
        #expect(text.stdout.contains("D2  Is it a BOOTREPLY that carries a DHCP message type?  -> yes"))
        #expect(text.stdout.contains("stopped: dhcp.client.receive D3: the run visited 2 nodes without ending"))
        #expect(text.stderr.contains("error: dhcp.client.receive D3: the run visited 2 nodes without ending"))
        let json = try Binary.run(
            ["run", "dhcp.client.receive", "--context", Self.offer, "--max-steps", "2", "--json"], in: dir)
        let trace = try JSON.parse(json.stdout)
        #expect(trace["path"] == ["D1:yes", "D2:yes"])
        #expect(trace["error"]["node"] == "D3")
    }

    @Test func checkOutcomeFailsARunThatEndsAtAFailEnd() throws {
        let dir = try Binary.scratch()
        defer { Binary.remove(dir) }
        // An interface that is down ends discovery at E1; made a 'fail' end, --check-outcome fails the run.
        let context = try Binary.write(#"{"iface": {"up": false}}"#, to: "down.json", in: dir)
        #expect(try Binary.run(["edit", "set-body", "dhcp.client.discover", "E1", "fail"], in: dir).status == 0)
        let plain = try Binary.run(["run", "dhcp.client.discover", "--context", context], in: dir)
        #expect(plain.status == 0)
        #expect(plain.stdout.contains("ended at E1 (fail)"))
        let checked = try Binary.run(
            ["run", "dhcp.client.discover", "--context", context, "--check-outcome", "--json"], in: dir)
        #expect(checked.status == 1)
        #expect(try JSON.parse(checked.stdout)["end"] == ["node": "E1", "outcome": "fail"])
        #expect(try JSON.parse(checked.stderr)["error"]["code"] == "fail-outcome")
        #expect(try Binary.run(["edit", "set-body", "dhcp.client.discover", "E1", "done"], in: dir).status == 0)
        #expect(
            try Binary.run(["run", "dhcp.client.discover", "--context", context, "--check-outcome"], in: dir).status
                == 0)
    }

    @Test func strictNamesAContextTypo() throws {
        let dir = try Binary.scratch()
        defer { Binary.remove(dir) }
        let good = try Binary.run(["run", "dhcp.client.receive", "--context", Self.offer, "--strict"], in: dir)
        #expect(good.status == 0, Comment(rawValue: good.stderr))
        #expect(good.stderr.isEmpty)
        let text = try String(contentsOfFile: Self.offer, encoding: .utf8).replacingOccurrences(
            of: "dhcp_client", with: "dhcp_clinet")
        let typo = try Binary.write(text, to: "typo.json", in: dir)
        let lax = try Binary.run(["run", "dhcp.client.receive", "--context", typo], in: dir)
        #expect(lax.status == 0)
        let strict = try Binary.run(["run", "dhcp.client.receive", "--context", typo, "--strict"], in: dir)
        #expect(strict.status == 1)
        #expect(
            strict.stderr.contains(
                "warning: the context has no iface.dhcp_client, which dhcp.client.discover D2, dhcp.client.receive D1 read (it has iface.dhcp_clinet: a typo?)"
            ))
        #expect(
            strict.stderr.contains(
                "warning: the context has iface.dhcp_clinet, which no node of these charts reads or writes (did you mean iface.dhcp_client?)"
            ))
        let json = try JSON.parse(
            try Binary.run(["run", "dhcp.client.receive", "--context", typo, "--strict", "--json"], in: dir).stdout)
        #expect(json["warnings"].list?.count == 2)
    }
}
