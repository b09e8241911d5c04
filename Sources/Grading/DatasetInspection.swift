#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Audit
import COCO
import DatasetFormat
import Foundation
import Support

/// The bugs of the chapter's example code, looked for in every submitted dataset.
public enum SeedBugKind: String, Sendable, CaseIterable {
    /// `torch.Size([64, 640, 480, 3])` is H×W = 640×480, i.e. 480 wide: images come out W×H swapped.
    case sizeSwapped = "size-swapped"
    /// `depth.astype(np.uint16)` saved with no unit (metres truncated to integers, no scale anywhere).
    case depthWithoutUnit = "depth-without-unit"
    /// `(rgb * 255).astype(np.uint8)` on values already in 0–255: wrapped (noise) or saturated pixels.
    case rgbScaledTwice = "rgb-scaled-twice"

    public var title: String {
        switch self {
        case .sizeSwapped: return "width and height swapped"
        case .depthWithoutUnit: return "depth without units"
        case .rgbScaledTwice: return "RGB scaled ×255 twice"
        }
    }
}

public struct SeedBug: Sendable, Equatable {
    public var kind: SeedBugKind
    /// Dataset key in the submission.
    public var dataset: String
    public var evidence: String
}

/// Outcome of the randomization audit of one dataset.
public struct AuditOutcome: Sendable, Equatable {
    public enum Status: String, Sendable { case passed, failed, unavailable }
    public var status: Status
    public var failedChecks: Int
    public var totalChecks: Int
    public var detail: String

    public init(status: Status, failedChecks: Int = 0, totalChecks: Int = 0, detail: String) {
        self.status = status; self.failedChecks = failedChecks; self.totalChecks = totalChecks; self.detail = detail
    }
}

/// The audit step of grading, pluggable: the CLI passes the Audit library's implementation.
public protocol DatasetAuditor: Sendable {
    /// Audits the dataset directory; throws only when its files cannot be read at all.
    func audit(directory: String) throws -> AuditOutcome
}

/// Used when no audit implementation is available: the audit checks report "unavailable".
public struct NoAuditor: DatasetAuditor {
    public init() {}
    public func audit(directory: String) throws -> AuditOutcome {
        AuditOutcome(status: .unavailable, detail: "no audit implementation was given to the grader")
    }
}

/// What grading measures of a dataset directory, from its files on disk.
public struct DatasetFacts: Sendable {
    public var key: String
    public var path: String
    public var manifestPresent = false
    public var manifestFrames: Int?
    public var runSeconds: Double?
    public var runEnvs: Int?
    public var depthUnit: String?
    public var configWidth: Int?
    public var configHeight: Int?
    /// Sum of the manifest's `files[].bytes`.
    public var manifestBytes: Int?
    /// Images listed in annotations.json.
    public var annotatedImages = 0
    /// Listed images whose file exists and is a readable image.
    public var framesOnDisk = 0
    /// PNG files under rgb/.
    public var rgbFiles = 0
    /// Regular files under the directory and their bytes (st_size), measured by walking it.
    public var filesOnDisk = 0
    public var bytesOnDisk = 0
    /// Seconds between the first and last modification of the rgb/ files.
    public var writeSpanSeconds: Double?
    public var validationErrors = 0
    public var validationWarnings = 0
    public var validationCodes: [String: Int] = [:]
    /// Manifest entries whose size or SHA-256 (on a sample) differs from the file on disk.
    public var manifestMismatches: [String] = []
    public var hashesChecked = 0
    public var audit = AuditOutcome(status: .unavailable, detail: "not run")
    public var bugs: [SeedBug] = []
    public var notes: [String] = []
}

enum DatasetInspector {
    static let sampleFrames = 4
    static let hashSample = 16

    static func inspect(key: String, path: String, submissionRoot: String, limits: GradingLimits,
                        auditor: any DatasetAuditor) throws -> DatasetFacts {
        var f = DatasetFacts(key: key, path: path)
        let field = "datasets.\(key)"
        try walk(path, root: submissionRoot, facts: &f, limits: limits, field: field)
        try readManifest(&f, limits: limits, field: field)

        let annotations = DatasetLayout.path(DatasetLayout.annotations, in: path)
        if FileManager.default.fileExists(atPath: annotations) {
            do {
                let r = try COCOValidator.validate(path: path, options: ValidationOptions(maxFindingsPerCode: 5))
                f.annotatedImages = r.images
                f.validationErrors = r.errorCount; f.validationWarnings = r.warningCount
                for (c, n) in r.counts { f.validationCodes[c.rawValue] = n }
                let unusable = (r.counts[.fileMissing] ?? 0) + (r.counts[.fileUnreadable] ?? 0) + (r.counts[.filePathEscapes] ?? 0)
                f.framesOnDisk = max(0, r.images - unusable)
                if let n = r.counts[.imageSizeSwapped], n > 0 {
                    let first = r.findings.first { $0.code == .imageSizeSwapped }
                    f.bugs.append(SeedBug(kind: .sizeSwapped, dataset: key,
                                          evidence: "validate: \(n) image(s) with width and height swapped" + (first.map { " (first: \($0.path): \($0.message))" } ?? "")))
                }
            } catch {
                f.validationErrors = 1
                f.validationCodes["unreadable"] = 1
                f.notes.append("annotations.json cannot be read: \(error)")
            }
        } else {
            f.validationErrors = 1
            f.validationCodes["missing-annotations"] = 1
            f.notes.append("no annotations.json: nothing is annotated")
        }
        detectBugs(&f)
        do { f.audit = try auditor.audit(directory: path) }
        catch { f.audit = AuditOutcome(status: .failed, failedChecks: 1, totalChecks: 1, detail: "audit could not read the dataset: \(error)") }
        return f
    }

    /// Walks the directory with lstat: sizes of regular files, rgb/ write times; a symlink leading outside
    /// the submission is refused.
    static func walk(_ dir: String, root: String, facts f: inout DatasetFacts, limits: GradingLimits, field: String) throws {
        let realRoot = URL(fileURLWithPath: root).resolvingSymlinksInPath().standardizedFileURL.path
        var stack = [dir]
        var first = Double.infinity, last = -Double.infinity
        let rgbDir = (dir as NSString).appendingPathComponent("rgb")
        while let d = stack.popLast() {
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: d) else {
                throw InputError(file: d, field: field, message: "cannot list the directory")
            }
            for name in names {
                let p = (d as NSString).appendingPathComponent(name)
                var st = stat()
                guard lstat(p, &st) == 0 else { continue }
                switch st.st_mode & S_IFMT {
                case S_IFDIR: stack.append(p)
                case S_IFREG:
                    f.filesOnDisk += 1
                    f.bytesOnDisk += Int(st.st_size)
                    if f.filesOnDisk > limits.datasetFiles {
                        throw InputError(file: dir, field: field, message: "more than \(limits.datasetFiles) files; refused")
                    }
                    if d == rgbDir && name.hasSuffix(".png") {
                        f.rgbFiles += 1
                        let t = Double(st.st_mtim.tv_sec) + Double(st.st_mtim.tv_nsec) * 1e-9
                        first = min(first, t); last = max(last, t)
                    }
                case S_IFLNK:
                    let real = URL(fileURLWithPath: p).resolvingSymlinksInPath().standardizedFileURL.path
                    if real != realRoot && !real.hasPrefix(realRoot + "/") {
                        throw InputError(file: p, field: field, message: "symlink leads outside the submission (to \(real)); refused")
                    }
                default: break
                }
            }
        }
        if f.rgbFiles > 0 { f.writeSpanSeconds = last - first }
    }

    static func readManifest(_ f: inout DatasetFacts, limits: GradingLimits, field: String) throws {
        let path = DatasetLayout.path(DatasetLayout.manifest, in: f.path)
        guard FileManager.default.fileExists(atPath: path) else {
            f.notes.append("no manifest.json")
            return
        }
        try BoundedRead.check(path, limit: limits.smallJSONBytes, what: "manifest", field: field)
        let doc: ManifestDocument
        do { doc = try ManifestDocument.read(path: path, byteLimit: limits.smallJSONBytes) }
        catch let e as InputError { throw e.naming(field) }
        f.manifestPresent = true
        let int = ManifestDocument.integer
        f.manifestFrames = int(doc["frames"])
        if let range = doc["frame_range"]?.array, range.count == 2, let a = int(range[0]), let b = int(range[1]) {
            f.manifestFrames = b - a
        }
        if let run = doc["run"], run.object != nil {
            f.runSeconds = run["seconds"]?.double
            f.runEnvs = int(run["envs"])
        }
        if let unit = doc.depthUnit, !unit.isEmpty { f.depthUnit = unit }
        if let image = doc["config"]?["image"], image.object != nil {
            f.configWidth = int(image["width"]); f.configHeight = int(image["height"])
        }
        if doc["files"]?.object != nil {
            let entries = doc.listedFiles()
            f.manifestBytes = entries.reduce(0) { $0 + $1.entry.bytes }
            // Sizes of every entry; SHA-256 of an evenly spaced sample.
            let step = max(1, entries.count / hashSample)
            for (i, (name, entry)) in entries.enumerated() {
                guard let p = try? FileIO.contained(name, in: f.path) else { f.manifestMismatches.append("\(name): escapes"); continue }
                guard let size = BoundedRead.size(p) else { f.manifestMismatches.append("\(name): listed, missing on disk"); continue }
                if size != entry.bytes { f.manifestMismatches.append("\(name): \(size) bytes on disk, manifest says \(entry.bytes)"); continue }
                if i % step == 0 && f.hashesChecked < hashSample && size <= limits.smallJSONBytes,
                   let data = try? FileIO.readAll(p) {
                    f.hashesChecked += 1
                    if SHA256.hex(data) != entry.sha256 { f.manifestMismatches.append("\(name): SHA-256 differs from the manifest") }
                }
            }
        }
    }

    /// Evenly spaced sample of the PNG files of a subdirectory.
    static func sample(_ dir: String, _ sub: String) -> [String] {
        let d = (dir as NSString).appendingPathComponent(sub)
        let names = FileIO.listDirectory(d).filter { $0.hasSuffix(".png") }
        guard !names.isEmpty else { return [] }
        let n = min(sampleFrames, names.count)
        return (0..<n).map { (d as NSString).appendingPathComponent(names[$0 * names.count / n]) }
    }

    static func detectBugs(_ f: inout DatasetFacts) {
        let prefix = f.path.count + 1
        func rel(_ p: String) -> String { String(p.dropFirst(prefix)) }
        // Width × height against the config the manifest declares.
        if let cw = f.configWidth, let ch = f.configHeight, cw != ch, !f.bugs.contains(where: { $0.kind == .sizeSwapped }) {
            for p in sample(f.path, "rgb") {
                guard let data = try? FileIO.readAll(p), let h = try? PNG.header(data) else { continue }
                if h.width == ch && h.height == cw {
                    f.bugs.append(SeedBug(kind: .sizeSwapped, dataset: f.key,
                                          evidence: "\(rel(p)) is \(h.width)×\(h.height); the manifest's config says \(cw)×\(ch)"))
                    break
                }
            }
        }
        // Depth: a unit must be declared, and millimetre values must be plausible for a scene metres away.
        let depthFiles = sample(f.path, "depth")
        if !depthFiles.isEmpty {
            if f.depthUnit == nil {
                f.bugs.append(SeedBug(kind: .depthWithoutUnit, dataset: f.key,
                                      evidence: f.manifestPresent ? "manifest.json has no depth.unit for depth/*.png"
                                                                  : "depth/*.png with no manifest declaring their unit"))
            } else {
                var maxValue = 0, bitDepth = 16, nonzero = 0
                for p in depthFiles {
                    guard let data = try? FileIO.readAll(p), let img = try? PNG.decode(data) else { continue }
                    bitDepth = min(bitDepth, img.bitDepth)
                    if img.bitDepth == 16 {
                        for v in img.words where v > 0 { maxValue = max(maxValue, Int(v)); nonzero += 1 }
                    } else {
                        for v in img.bytes where v > 0 { maxValue = max(maxValue, Int(v)); nonzero += 1 }
                    }
                }
                if nonzero > 0 && f.depthUnit == "mm" && maxValue < 100 {
                    f.bugs.append(SeedBug(kind: .depthWithoutUnit, dataset: f.key,
                                          evidence: "depth declared in mm but no sampled pixel exceeds \(maxValue) (under 10 cm): metres cast to integers"))
                } else if bitDepth < 16 {
                    f.notes.append("depth PNGs are \(bitDepth)-bit")
                }
            }
        }
        // RGB: a frame scaled ×255 twice either wraps (uint8 overflow: pixel noise) or saturates (clipped).
        var saturated = 0.0, jumps = 0.0, frames = 0
        var worst = ""
        for p in sample(f.path, "rgb") {
            guard let data = try? FileIO.readAll(p), let img = try? PNG.decode(data), img.bitDepth == 8,
                  let s = rgbStatistics(img) else { continue }
            saturated += s.saturated; jumps += s.meanJump; frames += 1
            if worst.isEmpty && (s.saturated > saturatedLimit || s.meanJump > jumpLimit) {
                worst = "\(rel(p)): \(Int((s.saturated * 100).rounded())) % of values at 255, mean neighbour step \(GradeFormat.number(s.meanJump, digits: 1))"
            }
        }
        if frames > 0 {
            saturated /= Double(frames); jumps /= Double(frames)
            if saturated > saturatedLimit || jumps > jumpLimit {
                f.bugs.append(SeedBug(kind: .rgbScaledTwice, dataset: f.key,
                                      evidence: "sampled frames: \(Int((saturated * 100).rounded())) % of values at 255, mean step between neighbouring pixels \(GradeFormat.number(jumps, digits: 1)) of 255 (\(worst))"))
            }
        }
    }

    /// Over half of the channel values stuck at 255: clipped after scaling twice.
    static let saturatedLimit = 0.5
    /// Neighbouring pixels differ by 85 on average in uniform noise; rendered frames stay far below 40.
    static let jumpLimit = 40.0

    /// Fraction of channel values equal to 255 and mean absolute difference between horizontal neighbours.
    static func rgbStatistics(_ img: PNGImage) -> (saturated: Double, meanJump: Double)? {
        let c = img.channels, w = img.width, h = img.height
        guard c >= 3, w >= 2, h >= 1, img.bytes.count >= w * h * c else { return nil }
        var sat = 0, jump = 0
        img.bytes.withUnsafeBufferPointer { b in
            for y in 0..<h {
                let row = y * w * c
                for x in 0..<w {
                    for ch in 0..<3 {
                        let v = b[row + x * c + ch]
                        if v == 255 { sat += 1 }
                        if x > 0 { jump += abs(Int(v) - Int(b[row + (x - 1) * c + ch])) }
                    }
                }
            }
        }
        return (Double(sat) / Double(w * h * 3), Double(jump) / Double((w - 1) * h * 3))
    }
}

/// The audit step backed by the Audit library (`Auditor.audit`, family-wise α).
public struct AuditLibraryAuditor: DatasetAuditor {
    public var alpha: Double
    public init(alpha: Double = 0.01) { self.alpha = alpha }

    public func audit(directory: String) throws -> AuditOutcome {
        let r = try Auditor.audit(directory: directory, alpha: alpha)
        let failed = r.failures
        var detail = "\(r.checks.count) checks at family-wise α = \(GradeFormat.number(alpha)), \(failed.count) failed"
        if !failed.isEmpty { detail += " (" + failed.prefix(3).map { "\($0.id): \($0.message)" }.joined(separator: "; ") + ")" }
        return AuditOutcome(status: failed.isEmpty ? .passed : .failed, failedChecks: failed.count, totalChecks: r.checks.count,
                            detail: detail)
    }
}
