import ArgumentParser
import Foundation
import Generator

struct CeilingCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ceiling",
        abstract: "Encode-only throughput on a dataset's own frames with the fastest encoders we ship.",
        discussion: """
        Decodes the dataset's frames once, times every encoder and setting we ship on each image kind (libpng \
        filter/strategy pairs, libdeflate levels 1-2 with NONE/SUB/UP, the built-in run coder), takes the \
        fastest combination whose frame is at most 1.25x the smallest combination's, and measures it on \
        --lanes threads; beside it the libraries alone, the generator's own settings and libpng at dataset \
        format 1's settings, on the same frames and threads.
        """)

    @Argument(help: "Dataset directory.") var directory: String
    @Option(help: "Encoder threads (default: the number of cores).") var lanes: Int?
    @Option(help: "Frames of the dataset to use.") var frames: Int = 40
    @Option(help: "Passes over those frames, at least (more, up to 100, until each figure has run half a second).") var passes: Int = 3

    func run() throws {
        try runMapped {
            let lanes = self.lanes ?? ProcessInfo.processInfo.activeProcessorCount
            let r = try EncodeCeiling.measure(directory: directory, lanes: lanes, maxFrames: frames, passes: passes)
            print(r.text(lanes: lanes))
        }
    }
}
