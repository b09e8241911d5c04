import Support

public struct ValidationOptions: Sendable {
    /// Root of the images (`file_name` is relative to it); nil skips the file checks.
    public var imagesDirectory: String?
    /// How many findings of one code are kept with their details (all are counted).
    public var maxFindingsPerCode: Int
    /// Chunk size of the streaming reader.
    public var chunkSize: Int

    public init(imagesDirectory: String? = nil, maxFindingsPerCode: Int = 100, chunkSize: Int = 1 << 20) {
        self.imagesDirectory = imagesDirectory; self.maxFindingsPerCode = maxFindingsPerCode; self.chunkSize = chunkSize
    }
}

/// Streaming validation of COCO dataset files (and results files). Memory holds one entry at a time plus a
/// few bytes per image, category and annotation id; when `annotations` come before `images` or
/// `categories`, a second pass reads them.
public final class COCOValidator {
    /// Tolerance in pixels for boxes, polygons and keypoints against the image and mask bounds.
    public static let pixelTolerance = 1.0
    /// A crowd annotation's `bbox` (the extent of the polygon its RLE was rasterized from) against the box of
    /// that RLE. pycocotools (`rleFrPoly`) rounds vertices to 1/5 px, walks the edges on that grid (rounding again)
    /// and sets a pixel when the outline crosses its column near the pixel centre: a set pixel's centre lies
    /// within 0.5 + 0.1 + 0.1 px of the polygon, so the mask's box reaches at most 0.7 px beyond the polygon's
    /// extent (0.4999 measured on 10,000 random polygons). The other way is unbounded: a sliver of the polygon
    /// narrower than a pixel may hold no pixel centre (2.4 px measured on random convex polygons, 16 px on
    /// polygons clipped at the image border), so a bbox larger than the mask's box is at most a warning.
    public enum RLEBoxTolerance {
        /// Mask beyond the bbox by more than rasterization can give: a warning (e.g. boxes rounded to whole pixels).
        public static let outsideRaster = 0.75
        /// Mask beyond the bbox by more than this: an error (the bbox does not belong to this mask).
        public static let outsideError = 1.5
        /// Bbox beyond the mask's box by more than this: a warning.
        public static let insideWarning = 3.0
    }

    /// Tolerance for `area` against an RLE mask's pixel count: max(1 px, 1 %).
    public static let rleAreaRelativeTolerance = 0.01

    struct ImageFact {
        var width: Int32
        var height: Int32
        var annotations: Int32
        var index: Int32
        var line: Int32
        var column: Int32
    }

    struct CategoryFact {
        var keypoints: Int32   // -1: no keypoint names
        var used: Bool
        var index: Int32
        var line: Int32
        var column: Int32
    }

    private let options: ValidationOptions
    private var report: ValidationReport
    private var imageFacts: [ImageFact] = []
    private var imageIds: [Int64] = []
    private var imageIndex: [Int64: Int32] = [:]
    private var categoryFacts: [CategoryFact] = []
    private var categoryIds: [Int64] = []
    private var categoryIndex: [Int64: Int32] = [:]
    private var categoryNames: [String: Int] = [:]
    private var annotationIds = Set<Int64>()
    private var licenseIds = Set<Int64>()
    private var licensesSeen = false
    private var pendingLicenses: [(license: Int64, index: Int, line: Int, column: Int)] = []
    private var crowdCount = 0
    private var sectionsSeen = Set<String>()
    /// Sections that are present but not lists: references into them are not reported again.
    private var brokenSections = Set<String>()

    private func usable(_ section: String) -> Bool { sectionsSeen.contains(section) && !brokenSections.contains(section) }

    init(file: String, options: ValidationOptions) {
        self.options = options
        report = ValidationReport(file: file)
    }

    // MARK: - Entry points

    /// Validates a file, or a dataset directory holding `annotations.json` (its images are then checked,
    /// relative to the directory, unless `options.imagesDirectory` says otherwise).
    /// Throws `InputError` (line and column, "(not valid JSON)") when the input is unreadable or not JSON.
    public static func validate(path: String, options: ValidationOptions = ValidationOptions()) throws -> ValidationReport {
        var opts = options
        var file = path
        if FileIO.isDirectory(path) {
            file = (path.hasSuffix("/") ? path : path + "/") + "annotations.json"
            if opts.imagesDirectory == nil { opts.imagesDirectory = path }
        }
        let v = COCOValidator(file: file, options: opts)
        return try v.run { try JSONReader(path: file, chunkSize: opts.chunkSize) }
    }

    /// Validates bytes in memory (`file` names them in messages).
    public static func validate(bytes: [UInt8], file: String = "<memory>",
                                options: ValidationOptions = ValidationOptions()) throws -> ValidationReport {
        let v = COCOValidator(file: file, options: options)
        return try v.run { JSONReader(bytes: bytes, file: file) }
    }

    private func run(_ open: () throws -> JSONReader) throws -> ValidationReport {
        let reader = try open()
        let kind = try reader.peekKind()
        switch kind {
        case .object:
            report.kind = .dataset
            let deferred = try datasetPass(reader, second: false)
            if deferred {
                report.passes = 2
                _ = try datasetPass(try open(), second: true)
            }
            finishDataset()
        case .array:
            report.kind = .results
            try resultsPass(reader)
        default:
            let p = reader.nextTokenPosition()
            let v = try reader.readValue()
            try reader.finish()
            add(.topLevelNotObject, "$", p.line, p.column, v.text(), "top level is a \(kind.rawValue); expected a COCO object or a results list")
        }
        return report
    }

    // MARK: - Findings

    private func add(_ code: FindingCode, _ path: @autoclosure () -> String, _ line: Int, _ column: Int,
                     _ value: @autoclosure () -> String, _ message: @autoclosure () -> String) {
        let n = report.counts[code, default: 0]
        report.counts[code] = n + 1
        if n < options.maxFindingsPerCode {
            report.findings.append(Finding(code: code, path: path(), line: line, column: column, value: value(),
                                           message: message()))
        }
    }

    /// Context of the entry being checked.
    private struct Entry {
        var section: String
        var index: Int
        var line: Int
        var column: Int
        func path(_ field: String) -> String {
            let base = section.isEmpty ? "[\(index)]" : "\(section)[\(index)]"
            if field.isEmpty { return base }
            return field.hasPrefix("[") ? base + field : base + "." + field
        }
    }

    private func add(_ code: FindingCode, _ e: Entry, _ field: String, _ value: JSONValue?, _ message: @autoclosure () -> String) {
        add(code, e.path(field), e.line, e.column, value?.text() ?? "", message())
    }

    // MARK: - Dataset passes

    private static let knownTopLevel = ["info", "licenses", "images", "annotations", "categories"]

    /// One pass over a dataset object; returns true when annotations were skipped and need a second pass.
    private func datasetPass(_ reader: JSONReader, second: Bool) throws -> Bool {
        var deferred = false
        var seenHere = Set<String>()
        try reader.beginObject()
        while let key = try reader.nextKey() {
            let p = reader.nextTokenPosition()
            let repeated = !seenHere.insert(key).inserted
            if second {
                if key == "annotations" && !repeated { try section(reader, key, p) } else { try reader.skipValue() }
                continue
            }
            if repeated {
                if ["images", "annotations", "categories", "licenses"].contains(key) {
                    add(.duplicateKey, key, p.line, p.column, "", "second '\(key)' section (JSON readers keep only the last); it is not checked")
                }
                try reader.skipValue()
                continue
            }
            switch key {
            case "images", "categories":
                sectionsSeen.insert(key)
                try section(reader, key, p)
            case "annotations":
                sectionsSeen.insert(key)
                if sectionsSeen.contains("images") && sectionsSeen.contains("categories") {
                    try section(reader, key, p)
                } else {
                    try reader.skipValue()
                    deferred = true
                }
            case "licenses":
                try licenses(reader)
            case "info":
                try reader.skipValue()
            default:
                if let near = COCOValidator.knownTopLevel.first(where: { COCOValidator.editDistance($0, key.lowercased()) <= 2 }),
                   key.count >= 4 {
                    add(.keyMisspelt, key, p.line, p.column, JSONText.string(key), "unknown top-level key '\(key)': did you mean '\(near)'?")
                }
                try reader.skipValue()
            }
        }
        try reader.finish()
        return deferred
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let x = Array(a.utf8), y = Array(b.utf8)
        if x.isEmpty || y.isEmpty { return max(x.count, y.count) }
        var prev = Array(0...y.count)
        var cur = [Int](repeating: 0, count: y.count + 1)
        for i in 1...x.count {
            cur[0] = i
            for j in 1...y.count {
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
            }
            swap(&prev, &cur)
        }
        return prev[y.count]
    }

    private func section(_ reader: JSONReader, _ key: String, _ p: (line: Int, column: Int)) throws {
        let kind = try reader.peekKind()
        guard kind == .array else {
            let v = try reader.readValue()
            add(.sectionNotArray, key, p.line, p.column, v.text(), "'\(key)' is a \(kind.rawValue), not a list")
            brokenSections.insert(key)
            return
        }
        try reader.beginArray()
        var i = 0
        while try reader.nextElement() {
            let q = reader.nextTokenPosition()
            let v = try reader.readValue()
            let e = Entry(section: key, index: i, line: q.line, column: q.column)
            switch key {
            case "images": checkImage(v, e)
            case "categories": checkCategory(v, e)
            default: checkAnnotation(v, e)
            }
            i += 1
        }
    }

    private func licenses(_ reader: JSONReader) throws {
        guard try reader.peekKind() == .array else { try reader.skipValue(); return }
        licensesSeen = true
        try reader.beginArray()
        while try reader.nextElement() {
            let v = try reader.readValue()
            if let id = Load.int(v["id"]) { licenseIds.insert(id) }
        }
    }

    private func finishDataset() {
        for s in ["images", "annotations", "categories"] where !sectionsSeen.contains(s) {
            add(.missingSection, s, 0, 0, "", "the dataset has no '\(s)' list")
        }
        // Without a usable annotations list, unused images and categories would only repeat that finding.
        let annotationsUsable = usable("annotations")
        for (i, f) in imageFacts.enumerated() where f.annotations == 0 && annotationsUsable {
            add(.imageWithoutAnnotations, "images[\(f.index)]", Int(f.line), Int(f.column), String(imageIds[i]),
                "image \(imageIds[i]) has no annotation")
        }
        for (i, f) in categoryFacts.enumerated() where !f.used && annotationsUsable {
            add(.categoryUnused, "categories[\(f.index)]", Int(f.line), Int(f.column), String(categoryIds[i]),
                "no annotation uses category \(categoryIds[i])")
        }
        if report.annotations > 0 && crowdCount == report.annotations {
            add(.allCrowd, "annotations", 0, 0, "", "all \(crowdCount) annotations have iscrowd 1: COCOeval ignores every one of them")
        }
        if licensesSeen {
            for p in pendingLicenses where !licenseIds.contains(p.license) {
                add(.licenseUnknown, "images[\(p.index)].license", p.line, p.column, String(p.license),
                    "license \(p.license) is not in 'licenses'")
            }
        }
    }

    // MARK: - Ids

    enum IdRole { case image, category, annotation, reference }

    /// Checks an id (or a reference to one); returns it when it is a usable integer.
    private func checkId(_ v: JSONValue?, _ e: Entry, _ field: String, role: IdRole) -> Int64? {
        guard let v else {
            add(.missingKey, e, field, nil, "'\(field)' is missing")
            return nil
        }
        guard case .number(let n) = v else {
            add(.idNotInteger, e, field, v, "'\(field)' is a \(v.typeName), not an integer")
            return nil
        }
        if !n.value.isFinite {
            add(.numberNotFinite, e, field, v, "'\(field)' is not finite")
            return nil
        }
        guard n.isIntegerLiteral else {
            add(.idNotInteger, e, field, v, "'\(field)' is not an integer literal")
            return nil
        }
        guard let id = n.integer else {
            add(.idTooLarge, e, field, v, "'\(field)' does not fit in a signed 64-bit integer")
            return nil
        }
        if id < 0 { add(.idNegative, e, field, v, "'\(field)' is negative"); return id }
        if id == 0 {
            switch role {
            case .annotation:
                add(.annotationIdZero, e, field, v, "annotation id 0: COCOeval records matches by id and treats 0 as unmatched")
            case .image, .category:
                add(.idZero, e, field, v, "\(role == .image ? "image" : "category") id 0 (ids are usually positive)")
            case .reference:
                break
            }
        }
        return id
    }

    // MARK: - Images and categories

    private func checkDuplicateKeys(_ o: JSONObject, _ e: Entry) {
        if o.members.count < 2 { return }
        for k in o.duplicateKeys { add(.duplicateKey, e, k, o[k], "key '\(k)' occurs more than once (readers keep the last)") }
    }

    private func positiveInt(_ v: JSONValue?) -> Int? {
        guard case .number(let n)? = v, n.isIntegerLiteral, let i = n.integer, i > 0, i <= Int64(Int32.max) else { return nil }
        return Int(i)
    }

    private func checkImage(_ v: JSONValue, _ e: Entry) {
        report.images += 1
        guard case .object(let o) = v else { add(.entryNotObject, e, "", v, "image entry is a \(v.typeName)"); return }
        checkDuplicateKeys(o, e)
        let id = checkId(o["id"], e, "id", role: .image)
        var width: Int? = nil, height: Int? = nil
        for (field, slot) in [("width", 0), ("height", 1)] {
            let x = o[field]
            if x == nil { add(.missingKey, e, field, nil, "'\(field)' is missing"); continue }
            if let n = positiveInt(x) { if slot == 0 { width = n } else { height = n } }
            else { add(.imageSizeInvalid, e, field, x, "'\(field)' is not a positive integer") }
        }
        var fileName: String? = nil
        switch o["file_name"] {
        case nil: add(.missingKey, e, "file_name", nil, "'file_name' is missing")
        case .string(let s)?:
            if s.isEmpty { add(.wrongType, e, "file_name", o["file_name"], "'file_name' is empty") } else { fileName = s }
        case let x?: add(.wrongType, e, "file_name", x, "'file_name' is a \(x.typeName), not a string")
        }
        if let lic = o["license"], let l = Load.int(lic) {
            if licensesSeen { if !licenseIds.contains(l) { add(.licenseUnknown, e, "license", lic, "license \(l) is not in 'licenses'") } }
            else { pendingLicenses.append((l, e.index, e.line, e.column)) }
        }
        if let id {
            if let first = imageIndex[id] {
                add(.duplicateId, e, "id", o["id"], "image id \(id) also at images[\(imageFacts[Int(first)].index)]")
            } else {
                imageIndex[id] = Int32(imageFacts.count)
                imageIds.append(id)
                imageFacts.append(ImageFact(width: Int32(width ?? -1), height: Int32(height ?? -1), annotations: 0,
                                            index: Int32(clamping: e.index), line: Int32(clamping: e.line),
                                            column: Int32(clamping: e.column)))
            }
        }
        if let dir = options.imagesDirectory, let fileName { checkFile(fileName, dir, width, height, e) }
    }

    private func checkFile(_ name: String, _ dir: String, _ width: Int?, _ height: Int?, _ e: Entry) {
        let value = JSONValue.string(name)
        let path: String
        do { path = try FileIO.contained(name, in: dir) } catch {
            add(.filePathEscapes, e, "file_name", value, "'\(name)' is not inside the images directory: \(error)")
            return
        }
        if !FileIO.exists(path) { add(.fileMissing, e, "file_name", value, "no file \(path)"); return }
        switch ImageHeader.read(path: path) {
        case .failure(let f):
            add(.fileUnreadable, e, "file_name", value, "\(path): \(f)")
        case .success(let info):
            guard let width, let height else { return }
            if info.width == width && info.height == height { return }
            if info.width == height && info.height == width {
                add(.imageSizeSwapped, e, "width", value,
                    "entry says \(width)×\(height) (w×h) but \(path) is \(info.width)×\(info.height): width and height swapped")
            } else {
                add(.imageSizeMismatch, e, "width", value,
                    "entry says \(width)×\(height) (w×h) but \(path) is \(info.width)×\(info.height)")
            }
        }
    }

    private func checkCategory(_ v: JSONValue, _ e: Entry) {
        report.categories += 1
        guard case .object(let o) = v else { add(.entryNotObject, e, "", v, "category entry is a \(v.typeName)"); return }
        checkDuplicateKeys(o, e)
        let id = checkId(o["id"], e, "id", role: .category)
        switch o["name"] {
        case nil: add(.missingKey, e, "name", nil, "'name' is missing")
        case .string(let s)?:
            if let first = categoryNames[s] {
                add(.duplicateCategoryName, e, "name", o["name"], "name '\(s)' also used by categories[\(first)]")
            } else { categoryNames[s] = e.index }
        case let x?: add(.wrongType, e, "name", x, "'name' is a \(x.typeName), not a string")
        }
        var keypoints: Int32 = -1
        if let kp = o["keypoints"] {
            if case .array(let names) = kp, names.allSatisfy({ $0.string != nil }) { keypoints = Int32(names.count) }
            else { add(.wrongType, e, "keypoints", kp, "category 'keypoints' is not a list of names") }
        }
        if let sk = o["skeleton"] {
            let k = max(0, Int(keypoints))
            var ok = true
            if case .array(let pairs) = sk {
                for p in pairs {
                    guard case .array(let ab) = p, ab.count == 2, let a = Load.int(ab[0]), let b = Load.int(ab[1]),
                          a >= 1, b >= 1, a <= k, b <= k else { ok = false; break }
                }
            } else { ok = false }
            if !ok {
                add(.skeletonInvalid, e, "skeleton", sk,
                    "skeleton must be pairs of 1-based indices into the \(k) keypoint names")
            }
        }
        if let id {
            if let first = categoryIndex[id] {
                add(.duplicateId, e, "id", o["id"], "category id \(id) also at categories[\(categoryFacts[Int(first)].index)]")
            } else {
                categoryIndex[id] = Int32(categoryFacts.count)
                categoryIds.append(id)
                categoryFacts.append(CategoryFact(keypoints: keypoints, used: false, index: Int32(clamping: e.index),
                                                  line: Int32(clamping: e.line), column: Int32(clamping: e.column)))
            }
        }
    }

    // MARK: - Annotations

    private struct Box { var x: Double, y: Double, w: Double, h: Double }

    /// A bbox of four finite numbers, reporting what is wrong otherwise.
    private func parseBox(_ v: JSONValue, _ e: Entry) -> Box? {
        guard case .array(let a) = v, a.count == 4 else {
            add(.bboxInvalid, e, "bbox", v, "bbox is not a list of 4 numbers")
            return nil
        }
        var xs = [Double](repeating: 0, count: 4)
        for i in 0..<4 {
            guard case .number(let n) = a[i] else { add(.bboxInvalid, e, "bbox", v, "bbox holds a \(a[i].typeName)"); return nil }
            guard n.value.isFinite else { add(.numberNotFinite, e, "bbox", v, "bbox holds a non-finite number"); return nil }
            xs[i] = n.value
        }
        return Box(x: xs[0], y: xs[1], w: xs[2], h: xs[3])
    }

    /// One annotation: its id and references, then iscrowd, bbox, area, segmentation, keypoints and size in turn.
    private func checkAnnotation(_ v: JSONValue, _ e: Entry) {
        report.annotations += 1
        guard case .object(let o) = v else { add(.entryNotObject, e, "", v, "annotation entry is a \(v.typeName)"); return }
        checkDuplicateKeys(o, e)
        if let id = checkId(o["id"], e, "id", role: .annotation), !annotationIds.insert(id).inserted {
            add(.duplicateId, e, "id", o["id"], "annotation id \(id) occurs more than once (pycocotools keeps only the last)")
        }
        let (image, category) = annotationReferences(o, e)
        let W = image.map { Double($0.width) } ?? -1, H = image.map { Double($0.height) } ?? -1
        let sizeKnown = W > 0 && H > 0
        let crowd = checkCrowd(o, e)
        let box = checkBox(o, e, W: W, H: H, sizeKnown: sizeKnown)
        let area = checkArea(o, e, box: box)
        checkSegmentation(o["segmentation"], e, crowd: crowd, box: box, bboxValue: o["bbox"], area: area, W: W, H: H,
                          sizeKnown: sizeKnown)
        if let kv = o["keypoints"] { checkKeypoints(kv, o["num_keypoints"], e, category: category, box: box) }
        if let image { checkAnnotationSize(o, e, image: image) }
    }

    /// The annotation's image and category (counted as used), reporting ids that name none.
    private func annotationReferences(_ o: JSONObject, _ e: Entry) -> (image: ImageFact?, category: CategoryFact?) {
        var image: ImageFact? = nil
        if let imageId = checkId(o["image_id"], e, "image_id", role: .reference) {
            if let i = imageIndex[imageId] {
                imageFacts[Int(i)].annotations += 1
                image = imageFacts[Int(i)]
            } else if usable("images") {
                add(.unknownImageId, e, "image_id", o["image_id"], "no image has id \(imageId)")
            }
        }
        var category: CategoryFact? = nil
        if let catId = checkId(o["category_id"], e, "category_id", role: .reference) {
            if let k = categoryIndex[catId] {
                categoryFacts[Int(k)].used = true
                category = categoryFacts[Int(k)]
            } else if usable("categories") {
                add(.unknownCategoryId, e, "category_id", o["category_id"], "no category has id \(catId)")
            }
        }
        return (image, category)
    }

    /// iscrowd: present, 0 or 1 (crowds are counted).
    private func checkCrowd(_ o: JSONObject, _ e: Entry) -> Bool {
        var crowd = false
        switch o["iscrowd"] {
        case nil: add(.missingKey, e, "iscrowd", nil, "'iscrowd' is missing (COCOeval reads it)")
        case let x?:
            if let k = Load.int(x), k == 0 || k == 1 { crowd = k == 1 }
            else { add(.iscrowdInvalid, e, "iscrowd", x, "iscrowd must be 0 or 1") }
        }
        if crowd { crowdCount += 1 }
        return crowd
    }

    /// bbox: present, four finite numbers, a positive size, inside the image; nil when unusable.
    private func checkBox(_ o: JSONObject, _ e: Entry, W: Double, H: Double, sizeKnown: Bool) -> Box? {
        let tol = COCOValidator.pixelTolerance
        guard let bv = o["bbox"] else {
            add(.missingKey, e, "bbox", nil, "'bbox' is missing")
            return nil
        }
        guard let b = parseBox(bv, e) else { return nil }
        if b.w <= 0 || b.h <= 0 {
            add(.bboxNonpositiveSize, e, "bbox", bv, "bbox width and height must be positive")
            return nil
        }
        if sizeKnown && (b.x < -tol || b.y < -tol || b.x + b.w > W + tol || b.y + b.h > H + tol) {
            add(.bboxOutsideImage, e, "bbox", bv, "bbox extends beyond the \(Int(W))×\(Int(H)) image (tolerance \(tol) px)")
        }
        return b
    }

    /// area: present, a finite positive number no larger than the bbox; nil when unusable.
    private func checkArea(_ o: JSONObject, _ e: Entry, box: Box?) -> Double? {
        switch o["area"] {
        case nil: add(.missingKey, e, "area", nil, "'area' is missing (COCOeval's area ranges read it)")
        case .array?: add(.areaIsList, e, "area", o["area"], "area written as a list (a known exporter bug); COCOeval needs a number")
        case .number(let n)?:
            if !n.value.isFinite { add(.numberNotFinite, e, "area", o["area"], "area is not finite") }
            else if n.value <= 0 { add(.areaNonpositive, e, "area", o["area"], "area must be positive") }
            else if let b = box, n.value > b.w * b.h + 1 {
                // Reported once: the segmentation comparison would only repeat it.
                add(.areaExceedsBbox, e, "area", o["area"], "area \(n) is larger than the bbox's \(b.w)×\(b.h) = \(b.w * b.h)")
            } else {
                return n.value
            }
        case let x?: add(.wrongType, e, "area", x, "area is a \(x.typeName), not a number")
        }
        return nil
    }

    /// Per-annotation width/height (BlenderProc writes them; older versions swapped them) against the image's.
    private func checkAnnotationSize(_ o: JSONObject, _ e: Entry, image: ImageFact) {
        if let aw = positiveInt(o["width"]), let ah = positiveInt(o["height"]), image.width > 0, image.height > 0 {
            let iw = Int(image.width), ih = Int(image.height)
            if aw != iw || ah != ih {
                if aw == ih && ah == iw {
                    add(.imageSizeSwapped, e, "width", o["width"], "annotation says \(aw)×\(ah) (w×h), its image is \(iw)×\(ih): swapped")
                } else {
                    add(.imageSizeMismatch, e, "width", o["width"], "annotation says \(aw)×\(ah) (w×h), its image is \(iw)×\(ih)")
                }
            }
        }
    }

    private func checkSegmentation(_ sv: JSONValue?, _ e: Entry, crowd: Bool, box: Box?, bboxValue: JSONValue? = nil, area: Double?,
                                   W: Double, H: Double, sizeKnown: Bool) {
        guard let sv else {
            add(.segmentationMissing, e, "segmentation", nil, "no 'segmentation' (bbox only)")
            return
        }
        switch sv {
        case .array(let parts):
            checkPolygons(parts, sv, e, crowd: crowd, box: box, bboxValue: bboxValue, area: area, W: W, H: H, sizeKnown: sizeKnown)
        case .object(let o):
            checkRLE(o, e, box: box, bboxValue: bboxValue, area: area, W: W, H: H, sizeKnown: sizeKnown)
        default:
            add(.segmentationInvalid, e, "segmentation", sv, "segmentation is a \(sv.typeName): expected polygons or an RLE object")
        }
    }

    /// Polygons: each a list of at least 3 finite points; inside the image; their area and extent against the
    /// annotation's area and bbox.
    private func checkPolygons(_ parts: [JSONValue], _ sv: JSONValue, _ e: Entry, crowd: Bool, box: Box?, bboxValue: JSONValue?,
                               area: Double?, W: Double, H: Double, sizeKnown: Bool) {
        let tol = COCOValidator.pixelTolerance
        if parts.isEmpty {
            add(.segmentationEmpty, e, "segmentation", sv, "segmentation is [] (bbox only; pycocotools cannot rasterize it)")
            return
        }
        if crowd { add(.crowdNotRLE, e, "segmentation", nil, "a crowd annotation must carry an RLE, not polygons") }
        var minX = Double.infinity, minY = Double.infinity, maxX = -Double.infinity, maxY = -Double.infinity
        var polyArea = 0.0, perimeter = 0.0
        var allValid = true
        var outside = false
        for (pi, part) in parts.enumerated() {
            guard case .array(let coords) = part else {
                add(.segmentationInvalid, e, "segmentation[\(pi)]", part,
                    part.number != nil ? "segmentation is a flat list: expected a list of polygons" : "a polygon is a \(part.typeName), not a list of coordinates")
                allValid = false
                if part.number != nil { break } else { continue }
            }
            var xy = [Double]()
            xy.reserveCapacity(coords.count)
            var bad = false
            for c in coords {
                guard case .number(let n) = c else {
                    add(.segmentationInvalid, e, "segmentation[\(pi)]", c, "a polygon coordinate is a \(c.typeName)")
                    bad = true; break
                }
                guard n.value.isFinite else {
                    add(.numberNotFinite, e, "segmentation[\(pi)]", c, "a polygon coordinate is not finite")
                    bad = true; break
                }
                xy.append(n.value)
            }
            if bad { allValid = false; continue }
            if xy.count % 2 != 0 {
                add(.polygonOddLength, e, "segmentation[\(pi)]", part, "polygon has \(xy.count) coordinates (odd)")
                allValid = false; continue
            }
            if xy.count < 6 {
                add(.polygonTooShort, e, "segmentation[\(pi)]", part, "polygon has \(xy.count / 2) points; at least 3 needed")
                allValid = false; continue
            }
            let k = xy.count / 2
            var s = 0.0
            for j in 0..<k {
                let x0 = xy[2 * j], y0 = xy[2 * j + 1]
                let x1 = xy[2 * ((j + 1) % k)], y1 = xy[2 * ((j + 1) % k) + 1]
                s += x0 * y1 - x1 * y0
                perimeter += ((x1 - x0) * (x1 - x0) + (y1 - y0) * (y1 - y0)).squareRoot()
                minX = min(minX, x0); maxX = max(maxX, x0); minY = min(minY, y0); maxY = max(maxY, y0)
                if sizeKnown && (x0 < -tol || y0 < -tol || x0 > W + tol || y0 > H + tol) { outside = true }
            }
            polyArea += abs(s) / 2
        }
        if outside {
            add(.polygonOutsideImage, e, "segmentation", nil, "a polygon point lies outside the \(Int(W))×\(Int(H)) image (tolerance \(tol) px)")
        }
        guard allValid else { return }
        if polyArea == 0 {
            add(.maskEmpty, e, "segmentation", nil, "the polygons enclose no area (an empty mask)")
            return
        }
        if let area, abs(area - polyArea) > perimeter / 2 + 1 {
            add(.areaMismatch, e, "area", .number(JSONNumber(area)),
                "area \(area) differs from the polygons' area \(rounded(polyArea)) by more than half the perimeter + 1 px")
        }
        if let b = box {
            // Boxes are often clipped to the image while polygons are not: compare both clipped to the
            // image (a box beyond it is reported as bbox-outside-image).
            var bx0 = b.x, by0 = b.y, bx1 = b.x + b.w, by1 = b.y + b.h
            if sizeKnown {
                func cx(_ v: Double) -> Double { min(max(v, 0), W) }
                func cy(_ v: Double) -> Double { min(max(v, 0), H) }
                minX = cx(minX); maxX = cx(maxX); minY = cy(minY); maxY = cy(maxY)
                bx0 = cx(bx0); bx1 = cx(bx1); by0 = cy(by0); by1 = cy(by1)
            }
            let d = max(abs(bx0 - minX), abs(by0 - minY), abs(bx1 - maxX), abs(by1 - maxY))
            if d > tol {
                add(.bboxMaskMismatch, e, "bbox", bboxValue,
                    "bbox differs from the polygons' extent [\(rounded(minX)), \(rounded(minY)), \(rounded(maxX - minX)), \(rounded(maxY - minY))] by \(rounded(d)) px (tolerance \(tol))")
            }
        }
    }

    /// An RLE object: its size against the image, its counts decoded and summed, its area and box against the
    /// annotation's.
    private func checkRLE(_ o: JSONObject, _ e: Entry, box: Box?, bboxValue: JSONValue?, area: Double?,
                          W: Double, H: Double, sizeKnown: Bool) {
        guard case .array(let size)? = o["size"], size.count == 2, let h = Load.int(size[0]), let w = Load.int(size[1]),
              h >= 0, w >= 0, h <= Int64(Int32.max), w <= Int64(Int32.max) else {
            add(.rleInvalid, e, "segmentation.size", o["size"], "RLE 'size' must be [height, width] of non-negative integers")
            return
        }
        var sizeOK = true
        if sizeKnown && (Double(h) != H || Double(w) != W) {
            sizeOK = false
            if Double(h) == W && Double(w) == H {
                add(.rleSizeSwapped, e, "segmentation.size", o["size"],
                    "RLE size is [\(h), \(w)] but the image is \(Int(W)) wide and \(Int(H)) high: written as [width, height]")
            } else {
                add(.rleSizeMismatch, e, "segmentation.size", o["size"],
                    "RLE size [\(h), \(w)] differs from the image's [height, width] = [\(Int(H)), \(Int(W))]")
            }
        }
        guard let rle = decodeRLE(o, e, height: Int(h), width: Int(w)) else { return }
        let total = Int(h) * Int(w)
        let sum = rle.pixelCount
        if sum != total {
            add(.rleCountsSum, e, "segmentation.counts", nil, "RLE counts sum to \(sum), not height × width = \(total)")
            return
        }
        let maskArea = Double(rle.area)
        if maskArea == 0 {
            add(.maskEmpty, e, "segmentation", nil, "the RLE mask has no foreground pixel")
            return
        }
        if let area, abs(area - maskArea) > max(1, COCOValidator.rleAreaRelativeTolerance * maskArea) {
            add(.areaMismatch, e, "area", .number(JSONNumber(area)),
                "area \(area) differs from the mask's \(Int(maskArea)) pixels by more than max(1, 1%)")
        }
        if sizeOK, let b = box { compareMaskBox(rle.bbox, b, e, bboxValue: bboxValue) }
    }

    /// The RLE's counts, compressed (a string) or not (a list); nil after reporting what is wrong.
    private func decodeRLE(_ o: JSONObject, _ e: Entry, height h: Int, width w: Int) -> RLE? {
        switch o["counts"] {
        case .string(let s)?:
            guard let r = RLE.decompress(s, height: h, width: w) else {
                add(.rleInvalid, e, "segmentation.counts", o["counts"], "compressed RLE string is malformed")
                return nil
            }
            return r
        case .array(let cs)?:
            var counts = [UInt32]()
            counts.reserveCapacity(cs.count)
            for c in cs {
                guard let k = Load.int(c), k >= 0, k <= Int64(UInt32.max) else {
                    add(.rleInvalid, e, "segmentation.counts", c, "uncompressed RLE counts must be non-negative integers")
                    return nil
                }
                counts.append(UInt32(k))
            }
            return RLE(height: h, width: w, counts: counts)
        case nil:
            add(.rleInvalid, e, "segmentation.counts", nil, "RLE without 'counts'")
            return nil
        case let x?:
            add(.rleInvalid, e, "segmentation.counts", x, "RLE 'counts' is neither a string nor a list")
            return nil
        }
    }

    /// How far the mask's box reaches beyond the bbox (outside) and the bbox beyond the mask's box (inside).
    private func compareMaskBox(_ m: (x: Double, y: Double, w: Double, h: Double), _ b: Box, _ e: Entry, bboxValue: JSONValue?) {
        let outside = max(b.x - m.x, b.y - m.y, m.x + m.w - b.x - b.w, m.y + m.h - b.y - b.h, 0)
        let inside = max(m.x - b.x, m.y - b.y, b.x + b.w - m.x - m.w, b.y + b.h - m.y - m.h, 0)
        let box = "[\(Int(m.x)), \(Int(m.y)), \(Int(m.w)), \(Int(m.h))]"
        let r = COCOValidator.RLEBoxTolerance.self
        if outside > r.outsideError {
            add(.bboxMaskMismatch, e, "bbox", bboxValue,
                "the mask's box \(box) reaches \(rounded(outside)) px beyond the bbox (rasterizing the polygon a bbox "
                + "was taken from puts no pixel more than \(r.outsideRaster) px beyond it)")
        } else if outside > r.outsideRaster {
            add(.bboxMaskLoose, e, "bbox", bboxValue,
                "the mask's box \(box) reaches \(rounded(outside)) px beyond the bbox (more than the \(r.outsideRaster) px "
                + "rasterization allows; a bbox rounded to whole pixels?)")
        } else if inside > r.insideWarning {
            add(.bboxMaskLoose, e, "bbox", bboxValue,
                "the bbox reaches \(rounded(inside)) px beyond the mask's box \(box) (a sliver of the polygon no pixel "
                + "centre falls in, or a bbox too large)")
        }
    }

    private func rounded(_ x: Double) -> String {
        let r = (x * 1000).rounded() / 1000
        return r == r.rounded() && abs(r) < 1e15 ? String(Int64(r)) : "\(r)"
    }

    private func checkKeypoints(_ kv: JSONValue, _ numV: JSONValue?, _ e: Entry, category: CategoryFact?, box: Box?) {
        guard case .array(let a) = kv else { add(.keypointsInvalid, e, "keypoints", kv, "keypoints is not a list"); return }
        var vals = [Double]()
        vals.reserveCapacity(a.count)
        for x in a {
            guard let d = Load.finite(x) else { add(.keypointsInvalid, e, "keypoints", kv, "keypoints hold a non-number or non-finite value"); return }
            vals.append(d)
        }
        if vals.count % 3 != 0 { add(.keypointsInvalid, e, "keypoints", kv, "\(vals.count) values: not (x, y, v) triples"); return }
        let n = vals.count / 3
        if let c = category, c.keypoints >= 0, Int(c.keypoints) != n {
            add(.keypointCountMismatch, e, "keypoints", kv, "\(n) keypoints but the category names \(c.keypoints)")
        }
        var labelled = 0
        var outside = false
        for j in 0..<n {
            let x = vals[3 * j], y = vals[3 * j + 1], v = vals[3 * j + 2]
            guard v == 0 || v == 1 || v == 2 else {
                add(.keypointsInvalid, e, "keypoints", kv, "visibility flag \(v) is not 0, 1 or 2"); return
            }
            if v > 0 {
                labelled += 1
                if let b = box, x < b.x - 1 || y < b.y - 1 || x > b.x + b.w + 1 || y > b.y + b.h + 1 { outside = true }
            }
        }
        if outside { add(.keypointOutsideBbox, e, "keypoints", kv, "a labelled keypoint lies outside the bbox (tolerance 1 px)") }
        if let numV, let k = Load.int(numV), k != Int64(labelled) {
            add(.keypointsInvalid, e, "num_keypoints", numV, "num_keypoints is \(k) but \(labelled) keypoints are labelled")
        }
    }

    // MARK: - Results files

    private func resultsPass(_ reader: JSONReader) throws {
        try reader.beginArray()
        var i = 0
        while try reader.nextElement() {
            let q = reader.nextTokenPosition()
            let v = try reader.readValue()
            checkDetection(v, Entry(section: "", index: i, line: q.line, column: q.column))
            i += 1
        }
        try reader.finish()
    }

    private func checkDetection(_ v: JSONValue, _ e: Entry) {
        report.detections += 1
        guard case .object(let o) = v else { add(.entryNotObject, e, "", v, "detection is a \(v.typeName), not an object"); return }
        checkDuplicateKeys(o, e)
        _ = checkId(o["image_id"], e, "image_id", role: .reference)
        _ = checkId(o["category_id"], e, "category_id", role: .reference)
        switch o["score"] {
        case nil: add(.missingKey, e, "score", nil, "'score' is missing")
        case .number(let n)?: if !n.value.isFinite { add(.numberNotFinite, e, "score", o["score"], "score is not finite") }
        case let x?: add(.scoreInvalid, e, "score", x, "score is a \(x.typeName), not a number")
        }
        let bv = o["bbox"], sv = o["segmentation"], kv = o["keypoints"]
        if bv == nil && sv == nil && kv == nil {
            add(.missingKey, e, "bbox", nil, "a detection needs 'bbox', 'segmentation' or 'keypoints'")
        }
        if let bv, !(bv.array?.isEmpty ?? false), let b = parseBox(bv, e), b.w <= 0 || b.h <= 0 {
            add(.bboxNonpositiveSize, e, "bbox", bv, "bbox width and height must be positive")
        }
        if let sv, !(sv.array?.isEmpty ?? false) {
            checkSegmentation(sv, e, crowd: false, box: nil, area: nil, W: -1, H: -1, sizeKnown: false)
        }
        if let kv {
            guard case .array(let a) = kv, a.count % 3 == 0, a.allSatisfy({ Load.finite($0) != nil }) else {
                add(.keypointsInvalid, e, "keypoints", kv, "keypoints must be finite (x, y, score) triples"); return
            }
        }
    }
}
