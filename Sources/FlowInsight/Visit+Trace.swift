import FlowEngine

extension Visit {
    /// The visits of a run made in this process.
    public static func list(from steps: [TraceStep]) -> [Visit] {
        steps.map { step in
            var outcome = step.outcome
            if outcome == nil, step.kind == .call, let end = step.detail["end"]?.string {
                outcome = end == "ok" ? "yes" : "no"
            }
            return Visit(flowchart: step.flowchart, node: step.node, depth: step.depth, outcome: outcome)
        }
    }
}
