import FlowEngine
import FlowStore
import FlowchartModel
import Protocols

/// Every chart of a database, compiled, and kept fresh: `refresh()` notices a change committed
/// by another process (`PRAGMA data_version`) and recompiles just the charts whose revision
/// moved. A chart whose new revision does not validate (a draft, or an edit made with SQL)
/// keeps running its last valid revision until it is fixed; `problems` says why.
public final class LiveCharts {
    let store: ChartStore
    let compiler: Compiler
    public private(set) var programs: ProgramSet
    /// Revision compiled, by chart id.
    public private(set) var revisions: [String: Int] = [:]
    /// Diagnostics of revisions that could not be compiled.
    public private(set) var problems: [Diagnostic] = []
    var version: Int64

    public init(store: ChartStore, registry: Registry = .l7flow) throws(RunError) {
        self.store = store
        compiler = Compiler(registry: registry)
        do {
            version = try store.dataVersion()
            let stored = try store.loadAll()
            programs = try LiveCharts.compileValid(stored, compiler: compiler, problems: &problems)
            for s in stored where programs.revision(of: s.chart.id) != nil { revisions[s.chart.id] = s.revision }
        } catch let error as RunError {
            throw error
        } catch {
            throw RunError(chart: "", node: nil, "\(error)")
        }
    }

    /// Compiles every chart; charts that fail (and those that call them) are left out and reported.
    static func compileValid(_ stored: [StoredChart], compiler: Compiler, problems: inout [Diagnostic]) throws
        -> ProgramSet
    {
        var inputs = stored.map { Compiler.Input($0.chart, revision: $0.revision) }
        while true {
            do {
                return try compiler.compile(inputs)
            } catch {
                problems.append(contentsOf: error.diagnostics)
                let bad = Set(error.diagnostics.map(\.chart))
                inputs.removeAll { bad.contains($0.chart.id) }
            }
        }
    }

    /// Reloads what another process changed; returns the ids recompiled (empty when nothing changed).
    @discardableResult
    public func refresh() throws(RunError) -> [String] {
        do {
            let now = try store.dataVersion()
            guard now != version else { return [] }
            version = now
            let stored = try store.loadAll()
            let changed = stored.filter { revisions[$0.chart.id] != $0.revision }
            let sameCharts = Set(stored.map(\.chart.id)) == Set(revisions.keys)
            guard !changed.isEmpty || !sameCharts else { return [] }
            problems = []
            if sameCharts {
                do {
                    programs = try compiler.recompile(
                        programs, changed: changed.map { Compiler.Input($0.chart, revision: $0.revision) },
                        all: stored.map(\.chart))
                    for s in changed { revisions[s.chart.id] = s.revision }
                    return changed.map(\.chart.id).sorted()
                } catch {
                    problems = error.diagnostics
                    return []
                }
            }
            programs = try LiveCharts.compileValid(stored, compiler: compiler, problems: &problems)
            revisions = [:]
            for s in stored where programs.revision(of: s.chart.id) != nil { revisions[s.chart.id] = s.revision }
            return changed.map(\.chart.id).sorted()
        } catch let error as RunError {
            throw error
        } catch {
            throw RunError(chart: "", node: nil, "\(error)")
        }
    }
}
