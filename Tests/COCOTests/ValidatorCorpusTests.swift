import Foundation
import Testing
@testable import COCO
import Support

/// fixtures/coco/invalid (one file or dataset directory per finding code), fixtures/coco/valid, and the
/// third-party files in ../shared/coco-thirdparty.
@Suite struct ValidatorCorpusTests {
    static func entries(_ dir: URL) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.filter { n in
            n.hasSuffix(".json") || FileManager.default.fileExists(atPath: dir.appendingPathComponent(n).appendingPathComponent("annotations.json").path)
        }.sorted()
    }

    static let invalidEntries = entries(Paths.invalid)
    static let validEntries = entries(Paths.valid)

    @Test func corpusCoversEveryCode() {
        let names = Set(Self.invalidEntries.map { $0.replacingOccurrences(of: ".json", with: "") })
        for c in FindingCode.allCases {
            #expect(names.contains(c.rawValue), "no fixture in fixtures/coco/invalid for \(c.rawValue)")
        }
        #expect(names.count == FindingCode.allCases.count)
    }

    @Test(arguments: invalidEntries)
    func invalidFileGivesExactlyItsCode(_ name: String) throws {
        let code = try #require(FindingCode(rawValue: name.replacingOccurrences(of: ".json", with: "")))
        let report = try COCOValidator.validate(path: Paths.invalid.appendingPathComponent(name).path)
        #expect(report.codes == [code], "\(name): \(report.findings.map(\.text))")
        #expect(report.counts[code, default: 0] >= 1)
        // Errors fail; warnings fail only with --strict.
        #expect(report.exitCode(strict: false) == (code.severity == .error ? 1 : 0))
        #expect(report.exitCode(strict: true) == 1)
        for f in report.findings {
            #expect(!f.path.isEmpty)
            if code != .missingSection && code != .allCrowd { #expect(f.line > 0, "\(f.text)") }
        }
    }

    @Test(arguments: validEntries)
    func validFilePassesWithoutFindings(_ name: String) throws {
        let report = try COCOValidator.validate(path: Paths.valid.appendingPathComponent(name).path)
        #expect(report.findings.isEmpty, "\(name): \(report.findings.map(\.text))")
        #expect(report.exitCode(strict: true) == 0)
    }

    @Test func annotationsBeforeImagesTakeASecondPass() throws {
        let r = try COCOValidator.validate(path: Paths.valid.appendingPathComponent("annotations-first.json").path)
        #expect(r.passes == 2)
        #expect(r.annotations == 3)
        let b = try COCOValidator.validate(path: Paths.valid.appendingPathComponent("base.json").path)
        #expect(b.passes == 1)
    }

    @Test func smallChunksGiveTheSameReport() throws {
        for name in Self.invalidEntries.prefix(20) + Self.validEntries {
            let path = Paths.invalid.appendingPathComponent(name).path
            let p = FileManager.default.fileExists(atPath: path) ? path : Paths.valid.appendingPathComponent(name).path
            let a = try COCOValidator.validate(path: p)
            let b = try COCOValidator.validate(path: p, options: ValidationOptions(chunkSize: 7))
            #expect(a.findings == b.findings, "\(name)")
        }
    }

    @Test func symlinkOutOfTheImagesDirectoryIsAnError() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("synthbench-symlink-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let ds = dir.appendingPathComponent("ds")
        try FileManager.default.createDirectory(at: ds.appendingPathComponent("rgb"), withIntermediateDirectories: true)
        let src = Paths.valid.appendingPathComponent("dataset-dir")
        try FileManager.default.copyItem(at: src.appendingPathComponent("annotations.json"), to: ds.appendingPathComponent("annotations.json"))
        try FileManager.default.copyItem(at: src.appendingPathComponent("rgb/rgb_000002.jpg"), to: ds.appendingPathComponent("rgb/rgb_000002.jpg"))
        // rgb/rgb_000001.png is a symlink to a real PNG outside the dataset.
        try FileManager.default.copyItem(at: src.appendingPathComponent("rgb/rgb_000001.png"), to: dir.appendingPathComponent("elsewhere.png"))
        try FileManager.default.createSymbolicLink(atPath: ds.appendingPathComponent("rgb/rgb_000001.png").path,
                                                   withDestinationPath: "../../elsewhere.png")
        let r = try COCOValidator.validate(path: ds.path)
        #expect(r.codes == [.filePathEscapes], "\(r.findings.map(\.text))")
        // An absolute file_name is refused as well.
        var text = try String(contentsOf: ds.appendingPathComponent("annotations.json"), encoding: .utf8)
        text = text.replacingOccurrences(of: "\"rgb/rgb_000002.jpg\"", with: "\"\(dir.appendingPathComponent("elsewhere.png").path)\"")
        try text.write(to: ds.appendingPathComponent("annotations.json"), atomically: true, encoding: .utf8)
        let r2 = try COCOValidator.validate(path: ds.path)
        #expect(r2.counts[.filePathEscapes] == 2)
    }

    @Test func findingsAreCappedButCounted() throws {
        var anns: [String] = []
        for i in 1...50 {
            anns.append(#"{"id":\#(i),"image_id":1,"category_id":1,"bbox":[1,1,2,2],"area":4,"segmentation":[],"iscrowd":0}"#)
        }
        let text = #"{"images":[{"id":1,"width":8,"height":8,"file_name":"a.png"}],"categories":[{"id":1,"name":"a"}],"annotations":[\#(anns.joined(separator: ","))]}"#
        let r = try COCOValidator.validate(bytes: bytes(text), options: ValidationOptions(maxFindingsPerCode: 5))
        #expect(r.counts[.segmentationEmpty] == 50)
        #expect(r.findings.count == 5)
        #expect(r.exitCode(strict: false) == 0)
    }

    @Test func syntaxErrorsCarryLineAndColumn() {
        let text = "{\n  \"images\": [\n    {\"id\": 1,, \"width\": 2}\n  ]\n}"
        #expect {
            _ = try COCOValidator.validate(bytes: bytes(text), file: "x.json")
        } throws: { e in
            guard let e = e as? InputError else { return false }
            return e.line == 3 && e.column == 14 && e.file == "x.json"
        }
    }

    // MARK: - Third-party files

    struct ThirdParty: Sendable, CustomTestStringConvertible {
        var file: String
        var errors: Set<String>
        var warnings: Set<String>
        var testDescription: String { file }
    }

    /// What SOURCES.md describes, as findings.
    static let thirdParty: [ThirdParty] = [
        .init(file: "blenderproc-screws-coco_annotations.json", errors: [], warnings: ["id-zero"]),
        .init(file: "cocoapi-fakebbox100-results.json", errors: [], warnings: []),
        .init(file: "cocoapi-fakekeypoints100-results.json", errors: [], warnings: []),
        // COCO's own crowd box: whole pixels, the mask reaching 1 px past it (a warning, not an error).
        .init(file: "cocoapi-pr585-val2017-1img-crowd-rle.json", errors: [],
              warnings: ["area-mismatch", "category-unused", "bbox-mask-loose"]),
        .init(file: "cvat-logseg-mask-rle-iscrowd1.json", errors: [],
              warnings: ["all-crowd", "image-without-annotations", "category-unused"]),
        .init(file: "datumaro-instances-val-uncompressed-rle-crowd.json", errors: ["area-exceeds-bbox"],
              warnings: ["category-unused", "bbox-mask-loose"]),
        .init(file: "datumaro-kaggle-relaxed-coco-annid0.json", errors: ["annotation-id-zero"], warnings: ["segmentation-empty"]),
        .init(file: "datumaro-person-keypoints-val.json",
              errors: ["skeleton-invalid", "keypoint-count-mismatch", "area-exceeds-bbox"],
              warnings: ["keypoint-outside-bbox", "bbox-mask-loose"]),
        .init(file: "detectron2-balloon-gt-compressed-rle.json", errors: [], warnings: ["id-zero", "image-without-annotations"]),
        .init(file: "fce-dt-polygons-results.json", errors: [], warnings: []),
        .init(file: "fce-gt-ignore-mixed-id-types.json", errors: ["id-not-integer", "unknown-image-id"],
              warnings: ["segmentation-missing"]),
        .init(file: "fce-gt-polygons-shapes.json", errors: [], warnings: []),
        .init(file: "fce-keypoints-gt-val2017.json", errors: [],
              warnings: ["license-unknown", "segmentation-missing", "keypoint-outside-bbox"]),
        .init(file: "labelstudio-profil-bbox-id0.json", errors: ["annotation-id-zero"], warnings: ["id-zero", "segmentation-empty"]),
        .init(file: "mask2former-results-zero-bbox-empty-masks.json", errors: ["bbox-nonpositive-size", "mask-empty"], warnings: []),
        .init(file: "mmdet-coco-wrong-format-dup-annid.json", errors: ["duplicate-id", "missing-key"],
              warnings: ["id-zero", "segmentation-missing"]),
        .init(file: "roboflow-acne-test-export.json", errors: ["annotation-id-zero"],
              warnings: ["id-zero", "area-mismatch", "segmentation-empty", "category-unused"]),
        .init(file: "sahi-eval-gt-area-is-image-area.json", errors: ["area-exceeds-bbox"],
              warnings: ["id-zero", "segmentation-empty", "category-unused"]),
        .init(file: "sahi-eval-results.json", errors: [], warnings: []),
        .init(file: "unity-datasetinsights-perception-instances.json", errors: ["id-too-large"],
              warnings: ["key-misspelt", "segmentation-empty"]),
    ]

    @Test(.enabled(if: Paths.hasThirdParty, "../shared/coco-thirdparty is absent"), arguments: thirdParty)
    func thirdPartyFindingsMatchSources(_ t: ThirdParty) throws {
        let r = try COCOValidator.validate(path: Paths.thirdParty.appendingPathComponent(t.file).path)
        let errors = Set(r.codes.filter { $0.severity == .error }.map(\.rawValue))
        let warnings = Set(r.codes.filter { $0.severity == .warning }.map(\.rawValue))
        #expect(errors == t.errors, "\(t.file): \(r.findings.prefix(8).map(\.text))")
        #expect(warnings == t.warnings, "\(t.file)")
        #expect(r.exitCode(strict: false) == (t.errors.isEmpty ? 0 : 1))
    }

    @Test(.enabled(if: Paths.hasThirdParty, "../shared/coco-thirdparty is absent"))
    func thirdPartyDetails() throws {
        func report(_ f: String) throws -> ValidationReport {
            try COCOValidator.validate(path: Paths.thirdParty.appendingPathComponent(f).path)
        }
        // The crowd of COCO val2017 image 448263 (id 900100448263): area 18419 vs 12852 mask pixels.
        let pr = try report("cocoapi-pr585-val2017-1img-crowd-rle.json")
        let area = try #require(pr.findings.first { $0.code == .areaMismatch })
        #expect(area.path == "annotations[15].area" && area.message.contains("12852"))
        // mmdetection's duplicate annotation id 1 and its missing iscrowd.
        let mm = try report("mmdet-coco-wrong-format-dup-annid.json")
        #expect(mm.findings.contains { $0.code == .duplicateId && $0.path == "annotations[1].id" })
        #expect(mm.counts[.missingKey] == 2)
        // faster-coco-eval's image id "2299" (a string) and the 13 integer references that miss it.
        let fce = try report("fce-gt-ignore-mixed-id-types.json")
        #expect(fce.findings.contains { $0.code == .idNotInteger && $0.path == "images[0].id" && $0.value == "\"2299\"" })
        #expect(fce.counts[.unknownImageId] == 13)
        // Unity: 128-bit ids and the misspelt 'licences'.
        let unity = try report("unity-datasetinsights-perception-instances.json")
        #expect(unity.findings.contains { $0.code == .keyMisspelt && $0.path == "licences" })
        // Mask2Former: 600 zero boxes, 410 empty masks.
        let m2f = try report("mask2former-results-zero-bbox-empty-masks.json")
        #expect(m2f.counts[.bboxNonpositiveSize] == 600 && m2f.counts[.maskEmpty] == 410)
        // SAHI: area = image area on all 249 annotations.
        #expect(try report("sahi-eval-gt-area-is-image-area.json").counts[.areaExceedsBbox] == 249)
        // Roboflow: 17 empty segmentations, unused category 0.
        let rf = try report("roboflow-acne-test-export.json")
        #expect(rf.counts[.segmentationEmpty] == 17 && rf.counts[.categoryUnused] == 1)
    }
}
