import ArgumentParser
import Generator

struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge the shards of one generate run into one dataset (byte-identical to an unsharded run).")

    @Argument(help: "Shard dataset directories.") var parts: [String]
    @Option(help: "Output directory (must be empty or absent).") var out: String

    func run() throws {
        try runMapped {
            let n = try Merger.merge(parts: parts, output: out)
            print("\(out): merged \(parts.count) shards, \(n) frames")
        }
    }
}
