import DatasetFormat
import Foundation
import Randomization
import Support

/// The generator's side of the dataset layout (names are DatasetFormat's): the COCO header, the journal of
/// finished frames, and assembling the final files from it.
extension DatasetLayout {
    static func cocoHeader(configHash: String) -> String {
        let categories = objectCategories.enumerated().map { i, name in
            JSONText.object([("id", String(i + 1)), ("name", JSONText.string(name)), ("supercategory", JSONText.string("object"))])
        }.joined(separator: ",")
        let info = JSONText.object([("description", JSONText.string("SynthBench synthetic dataset")),
                                    ("version", JSONText.string(GeneratorVersion.string)),
                                    ("config_hash", JSONText.string(configHash))])
        return "{\"info\":\(info),\"licenses\":[],\"categories\":[\(categories)],\n"
    }

    /// Streams the journal's records (complete lines only, in file order).
    static func forEachRecord(journal: String, _ body: (JournalRecord) throws -> Void) throws {
        try LineReader(path: journal).forEach { line, complete, _ in
            guard complete else { return }
            guard let r = JournalRecord(line: line) else { throw GeneratorError.badInput(journal, "corrupt journal line") }
            try body(r)
        }
    }

    /// Writes annotations.json and randomization.jsonl from the journal, streaming (two passes), each under a
    /// temporary name renamed into place.
    static func assemble(directory dir: String, journal: String, configHash: String) throws {
        let cocoPath = (dir as NSString).appendingPathComponent(annotations)
        let coco = try AppendFile(path: cocoPath + FileIO.temporaryMarker, truncateTo: 0)
        coco.append(cocoHeader(configHash: configHash) + "\"images\":[\n")
        var first = true
        try forEachRecord(journal: journal) { r in
            coco.append((first ? "" : ",\n") + r.imageJSON); first = false
            try coco.flushIfLarge()
        }
        coco.append("\n],\n\"annotations\":[\n")
        first = true
        try forEachRecord(journal: journal) { r in
            for a in r.annotationJSON { coco.append((first ? "" : ",\n") + a); first = false }
            try coco.flushIfLarge()
        }
        coco.append("\n]}\n")
        try coco.flush()
        try coco.commit(to: cocoPath)

        let logPath = (dir as NSString).appendingPathComponent(randomizationLog)
        let log = try AppendFile(path: logPath + FileIO.temporaryMarker, truncateTo: 0)
        try forEachRecord(journal: journal) { r in
            log.append(r.logLine + "\n")
            try log.flushIfLarge()
        }
        try log.flush()
        try log.commit(to: logPath)
    }

    /// Reads back the per-frame records of a finished dataset (used by `merge`).
    static func readRecords(datasetDirectory dir: String, manifest: Manifest) throws -> [JournalRecord] {
        let cocoPath = (dir as NSString).appendingPathComponent(annotations)
        let logPath = (dir as NSString).appendingPathComponent(randomizationLog)
        let coco = String(decoding: try FileIO.readAll(cocoPath), as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        let log = String(decoding: try FileIO.readAll(logPath), as: UTF8.self).split(separator: "\n")
        guard let imagesStart = coco.firstIndex(of: "\"images\":["), let annStart = coco.firstIndex(of: "],"),
              coco.count > annStart + 1, coco[annStart + 1] == "\"annotations\":[" else {
            throw GeneratorError.badInput(cocoPath, "not in SynthBench's annotations layout")
        }
        func strip(_ s: Substring) -> String { String(s.hasSuffix(",") ? s.dropLast() : s) }
        let images = coco[(imagesStart + 1)..<annStart].filter { !$0.isEmpty }.map(strip)
        let anns = coco[(annStart + 2)...].prefix { $0 != "]}" }.filter { !$0.isEmpty }.map(strip)
        guard images.count == log.count, images.count == manifest.frameRange.count else {
            throw GeneratorError.badInput(dir, "image entries (\(images.count)), log lines (\(log.count)) and manifest frames (\(manifest.frameRange.count)) disagree")
        }
        var byImage: [Int: [String]] = [:]
        for a in anns {
            guard let r = a.range(of: "\"image_id\":"), let id = Int(a[r.upperBound...].prefix { $0.isNumber }) else {
                throw GeneratorError.badInput(cocoPath, "annotation without image_id")
            }
            byImage[id, default: []].append(a)
        }
        return manifest.frameRange.enumerated().map { i, frame in
            let files = [rgb(frame), depth(frame), mask(frame)].map { manifest.files[$0] ?? FileEntry(sha256: "", bytes: 0) }
            return JournalRecord(frame: frame, files: files, imageJSON: images[i],
                                 annotationJSON: byImage[imageId(frame)] ?? [], logLine: String(log[i]))
        }
    }
}

/// One finished frame as the journal stores it: file digests and the text it contributes to the COCO file and log.
struct JournalRecord {
    var frame: Int
    /// rgb, depth, mask
    var files: [FileEntry]
    var imageJSON: String
    var annotationJSON: [String]
    var logLine: String

    var line: String {
        var parts = [String(frame)]
        for f in files { parts.append(f.sha256); parts.append(String(f.bytes)) }
        parts.append(imageJSON)
        parts.append(annotationJSON.joined(separator: "\u{1f}"))
        parts.append(logLine)
        return parts.joined(separator: "\t") + "\n"
    }

    init(frame: Int, files: [FileEntry], imageJSON: String, annotationJSON: [String], logLine: String) {
        self.frame = frame; self.files = files; self.imageJSON = imageJSON; self.annotationJSON = annotationJSON; self.logLine = logLine
    }

    init?(line: Substring) {
        // Split on bytes (tab and unit separator are ASCII), not on Characters.
        let p = line.utf8.split(separator: 9, omittingEmptySubsequences: false).map(Substring.init)
        guard p.count == 10, let frame = Int(p[0]) else { return nil }
        var files: [FileEntry] = []
        for i in 0..<3 {
            guard p[1 + 2 * i].utf8.count == 64, let bytes = Int(p[2 + 2 * i]) else { return nil }
            files.append(FileEntry(sha256: String(p[1 + 2 * i]), bytes: bytes))
        }
        let annotations = p[8].isEmpty ? [] : p[8].utf8.split(separator: 0x1F).map { String(Substring($0)) }
        self.init(frame: frame, files: files, imageJSON: String(p[7]), annotationJSON: annotations, logLine: String(p[9]))
    }
}

/// Generator failures; all are "bad input or environment" (exit code 2 in the CLI).
public enum GeneratorError: Error, CustomStringConvertible {
    case badInput(String, String)
    case usage(String, String)

    public var description: String {
        switch self {
        case .badInput(let where_, let what): return "\(where_): \(what)"
        case .usage(let flag, let what): return "\(flag): \(what)"
        }
    }
}
