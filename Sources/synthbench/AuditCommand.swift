import ArgumentParser
import Audit
import Foundation

struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Check a dataset's randomization log, files and images against its manifest's declarations.",
        discussion: """
        DIR is a dataset directory (manifest.json, randomization.jsonl, and rgb/depth/mask PNGs with \
        annotations.json when images were written). Every randomized parameter is tested against its declared \
        distribution (Kolmogorov–Smirnov and Anderson–Darling, or chi-square), for independence (Spearman), \
        and for value problems; the files for missing or extra frames, swapped image sizes, the depth unit and \
        clipped RGB; the images for the effect of light intensity, background colour, camera noise and object \
        scale. The goodness-of-fit and independence p-values are Holm-corrected at --alpha.
        Exit status: 0 every check passed, 1 a check failed, 2 missing or malformed files (file and line named).
        """)

    @Argument(help: "Dataset directory.") var directory: String
    @Option(help: "Family-wise error rate (Holm) and level of each pixel check.") var alpha: Double = 0.01
    @Option(help: "Decode at most this many frames (evenly spaced) for the image checks.") var imageFrames: Int = 400
    @Flag(help: "Print one JSON object instead of Markdown.") var json = false

    func validate() throws {
        if !(alpha > 0 && alpha < 1) { throw ValidationError("--alpha: must be in (0, 1) (got \(alpha))") }
        if imageFrames < 0 { throw ValidationError("--image-frames: must be >= 0 (got \(imageFrames))") }
    }

    func run() throws {
        var report: AuditReport?
        try runMapped {
            report = try Auditor.audit(directory: directory, options: AuditOptions(alpha: alpha, maxImageFrames: imageFrames))
        }
        guard let report else { return }
        print(json ? report.json() : report.markdown(), terminator: json ? "\n" : "")
        if report.exitCode != 0 { throw ExitCode(report.exitCode) }
    }
}
