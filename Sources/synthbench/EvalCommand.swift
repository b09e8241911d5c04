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
        if json {
            print(result.json(scoreThreshold: scoreThreshold, gtFile: gt, dtFile: dt))
            return
        }
        print("iouType=\(iou.rawValue): \(result.imageIds.count) images, \(result.categoryIds.count) categories, \(result.groundTruthCount) ground truths, \(result.detectionCount) detections")
        for line in result.summaryLines { print(line) }
        print("per category (AP, AP50, AP75, AR100; -1 = no ground truth):")
        for r in result.categoryRows() {
            print("  \(r.id) \(r.name): \(fmt(r.ap)) \(fmt(r.ap50)) \(fmt(r.ap75)) \(fmt(r.ar100))")
        }
        if let t = scoreThreshold {
            let s = result.atScoreThreshold(t)
            print("score >= \(t) at IoU 0.5: precision \(fmt(s.precision)), recall \(fmt(s.recall)) (TP \(s.truePositives), FP \(s.falsePositives), GT \(s.groundTruths))")
        }
    }

    private func fmt(_ x: Double) -> String {
        x == -1 ? "-1" : String(format: "%.4f", x)
    }
}
