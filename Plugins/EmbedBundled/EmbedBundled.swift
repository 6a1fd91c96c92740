import Foundation
import PackagePlugin

/// Turns `Migrations/*.sql` and `Flowcharts/**/*.flow` into Swift source, so the schema and the
/// bundled charts ship inside the binary and `l7flow` works from any directory.
///
/// The generator lists the two folders itself, and the folders are inputs of the command, so a
/// file added or removed later is picked up by the next incremental build.
@main
struct EmbedBundled: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let root = context.package.directoryURL
        let folders = [root.appending(path: "Migrations"), root.appending(path: "Flowcharts")]
        let output = context.pluginWorkDirectoryURL.appending(path: "Bundled.swift")
        return [
            .buildCommand(
                displayName: "Embedding migrations and charts",
                executable: try context.tool(named: "embed-resources").url,
                arguments: [root.path(), output.path()] + folders.map { $0.path() },
                inputFiles: folders.flatMap(contents),
                outputFiles: [output]
            )
        ]
    }

    /// The folder, its subfolders and their files.
    private func contents(of folder: URL) -> [URL] {
        guard let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil) else { return [] }
        return [folder] + walker.compactMap { $0 as? URL }.sorted { $0.path() < $1.path() }
    }
}
