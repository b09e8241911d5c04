import ArgumentParser
import Foundation
import COCO
import Support

extension IoUType: ExpressibleByArgument {}

struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "COCO detection metrics of a results file against a ground truth (same numbers as pycocotools' COCOeval).",
        discussion: """
        The results file is checked first: an unknown image or category id, a malformed box, score or mask \
        exits with 2 and names the entry. --json prints one object whose "stats" holds the 12 summary numbers \
        in pycocotools' order (see docs/FORMATS.md).
        """)

    @Option(help: "Ground-truth COCO file.") var gt: String
    @Option(help: "Results file (a list of detections).") var dt: String
    @Option(help: "IoU type: bbox or segm.") var iou: IoUType = .bbox
    @Flag(help: "Print one JSON object instead of text.") var json = false
    @Option(help: "Also report precision and recall of the detections scoring at least this (IoU 0.5).")
    var scoreThreshold: Double?
    @Option(help: "Write the precision/recall/scores arrays as JSON to this file.") var arrays: String?

    func validate() throws {
        if let t = scoreThreshold, !t.isFinite { throw ValidationError("--score-threshold must be a finite number") }
    }

    func run() throws {
        let result = try runMapped { try COCOEvaluator.evaluate(gtPath: gt, dtPath: dt, iouType: iou) }
        try runMapped {
            if let arrays { try FileIO.writeAtomically(result.arraysJSON(), to: arrays) }
        }
        if json { print(result.json(scoreThreshold: scoreThreshold, gtFile: gt, dtFile: dt)) }
        else { print(result.text(iouType: iou, scoreThreshold: scoreThreshold), terminator: "") }
    }
}
