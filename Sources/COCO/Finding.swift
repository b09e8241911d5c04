import Support

public enum Severity: String, Sendable, Comparable {
    case error, warning
    public static func < (a: Severity, b: Severity) -> Bool { a == .error && b == .warning }
}

/// Every finding `validate` can report. The raw value is the stable code printed and tested.
public enum FindingCode: String, CaseIterable, Sendable {
    // Structure and types.
    case topLevelNotObject = "top-level-not-object"
    case missingSection = "missing-section"
    case sectionNotArray = "section-not-array"
    case entryNotObject = "entry-not-object"
    case missingKey = "missing-key"
    case wrongType = "wrong-type"
    case duplicateKey = "duplicate-key"
    case keyMisspelt = "key-misspelt"
    case idNotInteger = "id-not-integer"
    case idNegative = "id-negative"
    case idZero = "id-zero"
    case idTooLarge = "id-too-large"
    case duplicateId = "duplicate-id"
    case duplicateCategoryName = "duplicate-category-name"
    case iscrowdInvalid = "iscrowd-invalid"
    case numberNotFinite = "number-not-finite"
    case imageSizeInvalid = "image-size-invalid"
    case scoreInvalid = "score-invalid"
    // References.
    case unknownImageId = "unknown-image-id"
    case unknownCategoryId = "unknown-category-id"
    case imageWithoutAnnotations = "image-without-annotations"
    case categoryUnused = "category-unused"
    case licenseUnknown = "license-unknown"
    case allCrowd = "all-crowd"
    // Geometry.
    case bboxInvalid = "bbox-invalid"
    case bboxNonpositiveSize = "bbox-nonpositive-size"
    case bboxOutsideImage = "bbox-outside-image"
    case areaNonpositive = "area-nonpositive"
    case areaExceedsBbox = "area-exceeds-bbox"
    case areaMismatch = "area-mismatch"
    case segmentationInvalid = "segmentation-invalid"
    case segmentationMissing = "segmentation-missing"
    case segmentationEmpty = "segmentation-empty"
    case polygonOddLength = "polygon-odd-length"
    case polygonTooShort = "polygon-too-short"
    case polygonOutsideImage = "polygon-outside-image"
    case rleInvalid = "rle-invalid"
    case rleSizeMismatch = "rle-size-mismatch"
    case rleCountsSum = "rle-counts-sum"
    case crowdNotRLE = "crowd-not-rle"
    case bboxMaskMismatch = "bbox-mask-mismatch"
    case bboxMaskLoose = "bbox-mask-loose"
    // Keypoints.
    case keypointsInvalid = "keypoints-invalid"
    case keypointCountMismatch = "keypoint-count-mismatch"
    case skeletonInvalid = "skeleton-invalid"
    case keypointOutsideBbox = "keypoint-outside-bbox"
    // Files.
    case fileMissing = "file-missing"
    case fileUnreadable = "file-unreadable"
    case filePathEscapes = "file-path-escapes"
    case imageSizeMismatch = "image-size-mismatch"
    // Known exporter bugs, named as such.
    case imageSizeSwapped = "image-size-swapped"
    case rleSizeSwapped = "rle-size-swapped"
    case areaIsList = "area-is-list"
    case maskEmpty = "mask-empty"
    case annotationIdZero = "annotation-id-zero"

    public var severity: Severity {
        switch self {
        case .keyMisspelt, .idZero, .imageWithoutAnnotations, .categoryUnused, .licenseUnknown, .allCrowd,
             .areaMismatch, .segmentationMissing, .segmentationEmpty, .keypointOutsideBbox, .bboxMaskLoose:
            return .warning
        default:
            return .error
        }
    }

    /// True for the defects that specific exporters are known to write.
    public var isKnownExporterBug: Bool {
        switch self {
        case .imageSizeSwapped, .rleSizeSwapped, .areaIsList, .maskEmpty, .annotationIdZero: return true
        default: return false
        }
    }

    /// One line on what the code means (docs and `--list-codes`).
    public var summary: String {
        switch self {
        case .topLevelNotObject: return "the top level is neither a dataset object nor a results list"
        case .missingSection: return "'images', 'annotations' or 'categories' is missing"
        case .sectionNotArray: return "a section is not a list"
        case .entryNotObject: return "an entry of a section is not an object"
        case .missingKey: return "a required key is missing"
        case .wrongType: return "a value has the wrong JSON type"
        case .duplicateKey: return "a key occurs twice in one object (readers keep only the last)"
        case .keyMisspelt: return "a top-level key looks like a misspelt standard key (e.g. 'licences')"
        case .idNotInteger: return "an id or reference is not an integer (a string, a float)"
        case .idNegative: return "an id is negative"
        case .idZero: return "an image, category or license id is 0 (works with pycocotools, unusual)"
        case .idTooLarge: return "an id does not fit in a signed 64-bit integer"
        case .duplicateId: return "an id occurs twice in its section"
        case .duplicateCategoryName: return "two categories share a name"
        case .iscrowdInvalid: return "iscrowd is not the integer 0 or 1"
        case .numberNotFinite: return "a number is NaN or infinite"
        case .imageSizeInvalid: return "an image's width or height is not a positive integer"
        case .scoreInvalid: return "a detection's score is not a number"
        case .unknownImageId: return "image_id names no image"
        case .unknownCategoryId: return "category_id names no category"
        case .imageWithoutAnnotations: return "an image has no annotation"
        case .categoryUnused: return "no annotation uses a category"
        case .licenseUnknown: return "an image's license names no entry of 'licenses'"
        case .allCrowd: return "every annotation is a crowd (COCOeval ignores all of them)"
        case .bboxInvalid: return "bbox is not a list of four numbers"
        case .bboxNonpositiveSize: return "bbox width or height is not positive"
        case .bboxOutsideImage: return "bbox extends beyond the image (more than 1 px)"
        case .areaNonpositive: return "area is not positive"
        case .areaExceedsBbox: return "area is larger than the bbox's width × height"
        case .areaMismatch: return "area disagrees with the segmentation's area"
        case .segmentationInvalid: return "segmentation is neither polygons nor an RLE object"
        case .segmentationMissing: return "an annotation has no segmentation (bbox-only; segm evaluation impossible)"
        case .segmentationEmpty: return "segmentation is [] (pycocotools' annToMask fails on it)"
        case .polygonOddLength: return "a polygon has an odd number of coordinates"
        case .polygonTooShort: return "a polygon has fewer than 3 points (6 coordinates)"
        case .polygonOutsideImage: return "a polygon point lies outside the image (more than 1 px)"
        case .rleInvalid: return "an RLE's size or counts are malformed"
        case .rleSizeMismatch: return "an RLE's size differs from the image's [height, width]"
        case .rleCountsSum: return "an RLE's counts do not sum to height × width"
        case .crowdNotRLE: return "a crowd annotation (iscrowd 1) has polygons instead of an RLE"
        case .bboxMaskMismatch: return "bbox disagrees with the box of the mask"
        case .bboxMaskLoose: return "bbox and the box of an RLE mask differ by more than rasterization explains, but not clearly wrong"
        case .keypointsInvalid: return "keypoints are not triples (x, y, v) with v in 0, 1, 2, or num_keypoints disagrees"
        case .keypointCountMismatch: return "the number of keypoints differs from the category's keypoint names"
        case .skeletonInvalid: return "a category's skeleton is not pairs of 1-based keypoint indices"
        case .keypointOutsideBbox: return "a labelled keypoint lies outside the annotation's bbox"
        case .fileMissing: return "an image file does not exist"
        case .fileUnreadable: return "an image file is not a readable PNG or JPEG"
        case .filePathEscapes: return "file_name is absolute, has '..', or a symlink leads outside the images directory"
        case .imageSizeMismatch: return "the image file's size differs from the entry's width and height"
        case .imageSizeSwapped: return "known exporter bug: width and height swapped"
        case .rleSizeSwapped: return "known exporter bug: RLE size written as [width, height]"
        case .areaIsList: return "known exporter bug: area written as a list"
        case .maskEmpty: return "known exporter bug: an empty mask (no pixel, or a zero-area polygon)"
        case .annotationIdZero: return "known exporter bug: annotation id 0 (COCOeval treats a match to it as no match)"
        }
    }
}

/// One problem found in a file: where (JSON path, and the line and column where its entry starts), what
/// (code and message) and the offending value as JSON text.
public struct Finding: Sendable, Equatable {
    public var code: FindingCode
    public var path: String
    public var line: Int
    public var column: Int
    public var value: String
    public var message: String
    public var severity: Severity { code.severity }

    public init(code: FindingCode, path: String, line: Int = 0, column: Int = 0, value: String = "", message: String) {
        self.code = code; self.path = path; self.line = line; self.column = column; self.value = value
        self.message = message
    }

    public var text: String {
        var s = "\(severity.rawValue): \(code.rawValue): \(path)"
        if line > 0 { s += " (line \(line), column \(column))" }
        s += ": " + message
        if !value.isEmpty { s += " [value: \(value)]" }
        return s
    }

    public var json: String {
        JSONText.object([
            ("severity", JSONText.string(severity.rawValue)), ("code", JSONText.string(code.rawValue)),
            ("path", JSONText.string(path)), ("line", String(line)), ("column", String(column)),
            ("value", JSONText.string(value)), ("message", JSONText.string(message)),
        ])
    }
}

/// What `validate` found in one file.
public struct ValidationReport: Sendable {
    public enum Kind: String, Sendable { case dataset, results, unknown }
    public var file: String
    public var kind: Kind = .unknown
    /// Findings in file order, at most `maxFindingsPerCode` of each code (all are counted in `counts`).
    public var findings: [Finding] = []
    public var counts: [FindingCode: Int] = [:]
    public var images = 0
    public var annotations = 0
    public var categories = 0
    /// Entries of a results file.
    public var detections = 0
    public var passes = 1

    public init(file: String) { self.file = file }

    public var errorCount: Int { counts.filter { $0.key.severity == .error }.map(\.value).reduce(0, +) }
    public var warningCount: Int { counts.filter { $0.key.severity == .warning }.map(\.value).reduce(0, +) }
    /// The distinct codes found, sorted.
    public var codes: [FindingCode] { counts.keys.sorted { $0.rawValue < $1.rawValue } }

    /// 0 valid, 1 errors (or warnings with `strict`).
    public func exitCode(strict: Bool) -> Int32 {
        if errorCount > 0 { return 1 }
        if strict && warningCount > 0 { return 1 }
        return 0
    }

    public func json(strict: Bool) -> String {
        let countPairs = codes.map { ($0.rawValue, String(counts[$0]!)) }
        return JSONText.object([
            ("file", JSONText.string(file)),
            ("kind", JSONText.string(kind.rawValue)),
            ("valid", exitCode(strict: strict) == 0 ? "true" : "false"),
            ("errors", String(errorCount)),
            ("warnings", String(warningCount)),
            ("images", String(images)),
            ("annotations", String(annotations)),
            ("categories", String(categories)),
            ("detections", String(detections)),
            ("counts", JSONText.object(countPairs)),
            ("findings", "[" + findings.map(\.json).joined(separator: ",") + "]"),
            ("truncated", findings.count < counts.values.reduce(0, +) ? "true" : "false"),
        ])
    }
}
