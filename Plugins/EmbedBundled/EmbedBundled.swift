import Foundation
import PackagePlugin

/// Turns `Migrations/*.sql` and `Flowcharts/**/*.flow` into Swift source, so the schema and the
/// bundled charts ship inside the binary and `l7flow` works from any directory.
@main
struct EmbedBundled: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let root = context.package.directoryURL
        let inputs = files(under: root.appending(path: "Migrations"), ext: "sql")
            + files(under: root.appending(path: "Flowcharts"), ext: "flow")
        let output = context.pluginWorkDirectoryURL.appending(path: "Bundled.swift")
        return [
            .buildCommand(
                displayName: "Embedding \(inputs.count) migrations and charts",
                executable: try context.tool(named: "embed-resources").url,
                arguments: [root.path(), output.path()] + inputs.map { $0.path() },
                inputFiles: inputs,
                outputFiles: [output]
            )
        ]
    }

    private func files(under dir: URL, ext: String) -> [URL] {
        guard let walker = FileManager.default.enumerator(at: dir, includingPropertiesForKeys: nil) else { return [] }
        return walker.compactMap { $0 as? URL }
            .filter { $0.pathExtension == ext }
            .sorted { $0.path() < $1.path() }
    }
}
