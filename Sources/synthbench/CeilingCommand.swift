import ArgumentParser
import Foundation
import Generator

struct CeilingCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ceiling",
        abstract: "Encode-only throughput (libpng, the generator's settings) on a dataset's own frames.")

    @Argument(help: "Dataset directory.") var directory: String
    @Option(help: "Encoder threads (default: the number of cores).") var lanes: Int?
    @Option(help: "Frames of the dataset to use.") var frames: Int = 40
    @Option(help: "Passes over those frames.") var passes: Int = 3

    func run() throws {
        try runMapped {
            let lanes = self.lanes ?? ProcessInfo.processInfo.activeProcessorCount
            let r = try EncodeCeiling.measure(directory: directory, lanes: lanes, maxFrames: frames, passes: passes)
            print(r.text(lanes: lanes))
        }
    }
}
