import Support

/// `[x, y, width, height]` in pixels.
public struct BBox: Equatable, Sendable {
    public var x: Double, y: Double, w: Double, h: Double
    public init(x: Double, y: Double, w: Double, h: Double) { self.x = x; self.y = y; self.w = w; self.h = h }
    public var array: [Double] { [x, y, w, h] }
    var tuple: (Double, Double, Double, Double) { (x, y, w, h) }
}

/// A segmentation as written in the file: polygons, or an RLE (compressed strings are decoded on load).
public enum COCOSegmentation: Sendable, Equatable {
    case polygons([[Double]])
    case rle(RLE)

    /// The mask as an RLE in an image of the given size, as pycocotools' `annToRLE`: polygons rasterized and
    /// merged, an RLE as it is; a missing segmentation or no polygon is an empty mask.
    public static func mask(_ s: COCOSegmentation?, height: Int, width: Int) -> RLE {
        switch s {
        case .polygons(let ps)?:
            if ps.isEmpty { return RLE.empty(height: height, width: width) }
            return RLE.merge(ps.map { RLE.fromPolygon($0, height: height, width: width) })
        case .rle(let r)?: return r
        case nil: return RLE.empty(height: height, width: width)
        }
    }
}

public struct COCOImage: Sendable, Equatable {
    public var id: Int64
    public var width: Int
    public var height: Int
    public var fileName: String
    public init(id: Int64, width: Int, height: Int, fileName: String) {
        self.id = id; self.width = width; self.height = height; self.fileName = fileName
    }
}

public struct COCOCategory: Sendable, Equatable {
    public var id: Int64
    public var name: String
    public init(id: Int64, name: String) { self.id = id; self.name = name }
}

/// A ground-truth annotation. Fields COCOeval does not need for every IoU type are optional; the evaluator
/// checks the ones it needs.
public struct COCOAnnotation: Sendable, Equatable {
    public var id: Int64
    public var imageId: Int64
    public var categoryId: Int64
    public var bbox: BBox?
    public var area: Double?
    public var iscrowd: Bool?
    public var segmentation: COCOSegmentation?
    /// Position in the file (for messages).
    public var index: Int
    public var line: Int

    public init(id: Int64, imageId: Int64, categoryId: Int64, bbox: BBox?, area: Double?, iscrowd: Bool?,
                segmentation: COCOSegmentation?, index: Int = 0, line: Int = 0) {
        self.id = id; self.imageId = imageId; self.categoryId = categoryId; self.bbox = bbox; self.area = area
        self.iscrowd = iscrowd; self.segmentation = segmentation; self.index = index; self.line = line
    }
}

/// A ground-truth dataset in memory (what COCOeval needs; `info` and `licenses` are skipped).
public struct COCODataset: Sendable {
    public var images: [COCOImage]
    public var categories: [COCOCategory]
    public var annotations: [COCOAnnotation]
    public var file: String?

    public init(images: [COCOImage], categories: [COCOCategory], annotations: [COCOAnnotation], file: String? = nil) {
        self.images = images; self.categories = categories; self.annotations = annotations; self.file = file
    }
}

/// One detection of a results file, after pycocotools' `loadRes` (id 1…n, area, bbox or segmentation filled in).
public struct COCODetection: Sendable, Equatable {
    public var id: Int64
    public var imageId: Int64
    public var categoryId: Int64
    public var score: Double
    public var bbox: BBox
    public var area: Double
    public var segmentation: COCOSegmentation?
    public var index: Int
    public var line: Int

    public init(id: Int64, imageId: Int64, categoryId: Int64, score: Double, bbox: BBox, area: Double,
                segmentation: COCOSegmentation?, index: Int = 0, line: Int = 0) {
        self.id = id; self.imageId = imageId; self.categoryId = categoryId; self.score = score; self.bbox = bbox
        self.area = area; self.segmentation = segmentation; self.index = index; self.line = line
    }
}

extension InputError {
    /// A COCO file that cannot be used: the field is the entry's JSON path (`annotations[3].bbox`); a file read
    /// from memory is named `<input>`.
    init(file: String?, path: String, line: Int = 0, column: Int = 0, message: String) {
        self.init(file: file ?? "<input>", line: line, column: column, field: path, message: message)
    }
}

/// Loading helpers shared by the dataset and results readers.
enum Load {
    static func int(_ v: JSONValue?) -> Int64? {
        guard case .number(let n)? = v, n.isIntegerLiteral, let i = n.integer else { return nil }
        return i
    }

    static func finite(_ v: JSONValue?) -> Double? {
        guard case .number(let n)? = v, n.value.isFinite else { return nil }
        return n.value
    }

    /// `[x, y, w, h]` of four finite numbers.
    static func bbox(_ v: JSONValue?) -> BBox? {
        guard case .array(let a)? = v, a.count == 4,
              let x = finite(a[0]), let y = finite(a[1]), let w = finite(a[2]), let h = finite(a[3]) else { return nil }
        return BBox(x: x, y: y, w: w, h: h)
    }

    /// Parses polygons or an RLE; the error text says what is wrong.
    struct Problem: Error { var message: String }

    static func segmentation(_ v: JSONValue) -> Result<COCOSegmentation, Problem> {
        switch v {
        case .array(let parts):
            var polys: [[Double]] = []
            polys.reserveCapacity(parts.count)
            for (i, p) in parts.enumerated() {
                guard case .array(let coords) = p else { return .failure(Problem(message: "segmentation[\(i)] is not a list of coordinates")) }
                var xy: [Double] = []
                xy.reserveCapacity(coords.count)
                for c in coords {
                    guard let d = finite(c) else { return .failure(Problem(message: "segmentation[\(i)] holds a non-finite or non-numeric coordinate")) }
                    xy.append(d)
                }
                polys.append(xy)
            }
            return .success(.polygons(polys))
        case .object(let o):
            guard case .array(let size)? = o["size"], size.count == 2, let h = int(size[0]), let w = int(size[1]),
                  h >= 0, w >= 0, h <= 1 << 20, w <= 1 << 20 else {
                return .failure(Problem(message: "RLE 'size' is not [height, width]"))
            }
            switch o["counts"] {
            case .string(let s)?:
                guard let r = RLE.decompress(s, height: Int(h), width: Int(w)) else { return .failure(Problem(message: "RLE 'counts' string is malformed")) }
                guard r.pixelCount == Int(h) * Int(w) else {
                    return .failure(Problem(message: "RLE counts sum to \(r.pixelCount), not height × width = \(Int(h) * Int(w))"))
                }
                return .success(.rle(r))
            case .array(let cs)?:
                var counts: [UInt32] = []
                counts.reserveCapacity(cs.count)
                for c in cs {
                    guard let k = int(c), k >= 0, k <= Int64(UInt32.max) else { return .failure(Problem(message: "RLE 'counts' holds a value that is not a non-negative integer")) }
                    counts.append(UInt32(k))
                }
                let r = RLE(height: Int(h), width: Int(w), counts: counts)
                guard r.pixelCount == Int(h) * Int(w) else {
                    return .failure(Problem(message: "RLE counts sum to \(r.pixelCount), not height × width = \(Int(h) * Int(w))"))
                }
                return .success(.rle(r))
            default:
                return .failure(Problem(message: "RLE 'counts' is neither a string nor a list"))
            }
        default:
            return .failure(Problem(message: "segmentation is neither a list of polygons nor an RLE object"))
        }
    }

    /// Walks the top-level object of a dataset file, handing each element of `images`, `annotations` and
    /// `categories` (with its index, line and column) to `body`; other keys are skipped.
    static func walkDataset(_ reader: JSONReader, file: String?,
                            body: (_ section: String, _ index: Int, _ line: Int, _ column: Int, _ value: JSONValue) throws -> Void) throws -> Set<String> {
        var seen = Set<String>()
        let kind = try reader.peekKind()
        guard kind == .object else {
            let p = reader.nextTokenPosition()
            throw InputError(file: file, path: "", line: p.line, column: p.column,
                                 message: "top level is \(kind == .array ? "an array (a results file?)" : "a \(kind.rawValue)"), not a COCO object")
        }
        try reader.beginObject()
        while let key = try reader.nextKey() {
            if key == "images" || key == "annotations" || key == "categories" {
                let p = reader.nextTokenPosition()
                guard try reader.peekKind() == .array else {
                    throw InputError(file: file, path: key, line: p.line, column: p.column, message: "'\(key)' is not a list")
                }
                seen.insert(key)
                try reader.beginArray()
                var i = 0
                while try reader.nextElement() {
                    let q = reader.nextTokenPosition()
                    let v = try reader.readValue()
                    try body(key, i, q.line, q.column, v)
                    i += 1
                }
            } else {
                try reader.skipValue()
            }
        }
        try reader.finish()
        return seen
    }
}

extension COCODataset {
    /// Reads a ground-truth file, streaming it (one element materialized at a time).
    public static func load(path: String) throws -> COCODataset {
        try load(reader: JSONReader(path: path), file: path)
    }

    public static func load(bytes: [UInt8], file: String? = nil) throws -> COCODataset {
        try load(reader: JSONReader(bytes: bytes, file: file), file: file)
    }

    static func load(reader: JSONReader, file: String?) throws -> COCODataset {
        var ds = COCODataset(images: [], categories: [], annotations: [], file: file)
        let seen = try Load.walkDataset(reader, file: file) { section, i, line, column, v in
            func fail(_ field: String, _ message: String) -> InputError {
                InputError(file: file, path: "\(section)[\(i)]\(field.isEmpty ? "" : "." + field)", line: line,
                               column: column, message: message)
            }
            guard case .object(let o) = v else { throw fail("", "entry is not an object") }
            switch section {
            case "images":
                guard let id = Load.int(o["id"]) else { throw fail("id", "missing or not an integer (int64)") }
                guard let w = Load.int(o["width"]), let h = Load.int(o["height"]), w >= 0, h >= 0,
                      w <= 1 << 20, h <= 1 << 20 else {
                    throw fail("width", "width/height missing or not non-negative integers")
                }
                ds.images.append(COCOImage(id: id, width: Int(w), height: Int(h), fileName: o["file_name"]?.string ?? ""))
            case "categories":
                guard let id = Load.int(o["id"]) else { throw fail("id", "missing or not an integer (int64)") }
                ds.categories.append(COCOCategory(id: id, name: o["name"]?.string ?? ""))
            default:
                guard let id = Load.int(o["id"]) else { throw fail("id", "missing or not an integer (int64)") }
                guard let img = Load.int(o["image_id"]) else { throw fail("image_id", "missing or not an integer (int64)") }
                guard let cat = Load.int(o["category_id"]) else { throw fail("category_id", "missing or not an integer (int64)") }
                var bbox: BBox? = nil
                if let b = o["bbox"] {
                    guard let bb = Load.bbox(b) else { throw fail("bbox", "not four finite numbers") }
                    bbox = bb
                }
                var area: Double? = nil
                if let a = o["area"] {
                    guard let d = Load.finite(a) else { throw fail("area", "not a finite number: \(a.text())") }
                    area = d
                }
                var crowd: Bool? = nil
                switch o["iscrowd"] {
                case nil: break
                case .bool(let b)?: crowd = b
                case let x?:
                    guard let k = Load.int(x), k == 0 || k == 1 else { throw fail("iscrowd", "not 0 or 1: \(x.text())") }
                    crowd = k == 1
                }
                var seg: COCOSegmentation? = nil
                if let s = o["segmentation"] {
                    switch Load.segmentation(s) {
                    case .success(let x): seg = x
                    case .failure(let m): throw fail("segmentation", m.message)
                    }
                }
                ds.annotations.append(COCOAnnotation(id: id, imageId: img, categoryId: cat, bbox: bbox, area: area,
                                                     iscrowd: crowd, segmentation: seg, index: i, line: line))
            }
        }
        for s in ["images", "annotations", "categories"] where !seen.contains(s) {
            throw InputError(file: file, path: s, message: "missing '\(s)' list")
        }
        return ds
    }
}

/// A results file (a list of detections), read the way pycocotools' `loadRes` reads it against a ground truth.
public enum COCOResults {
    public static func load(path: String, against gt: COCODataset) throws -> [COCODetection] {
        try load(reader: JSONReader(path: path), file: path, against: gt)
    }

    public static func load(bytes: [UInt8], file: String? = nil, against gt: COCODataset) throws -> [COCODetection] {
        try load(reader: JSONReader(bytes: bytes, file: file), file: file, against: gt)
    }

    enum Branch { case bbox, segm }

    static func load(reader: JSONReader, file: String?, against gt: COCODataset) throws -> [COCODetection] {
        var images: [Int64: (Int, Int)] = [:]
        for im in gt.images { images[im.id] = (im.height, im.width) }
        let categories = Set(gt.categories.map(\.id))
        let kind = try reader.peekKind()
        guard kind == .array else {
            let p = reader.nextTokenPosition()
            throw InputError(file: file, path: "", line: p.line, column: p.column,
                                 message: "a results file is a list of detections; found a \(kind.rawValue)")
        }
        var out: [COCODetection] = []
        var branch: Branch? = nil
        try reader.beginArray()
        var i = 0
        while try reader.nextElement() {
            let p = reader.nextTokenPosition()
            let v = try reader.readValue()
            func fail(_ field: String, _ message: String) -> InputError {
                InputError(file: file, path: "[\(i)]\(field.isEmpty ? "" : "." + field)", line: p.line,
                               column: p.column, message: message)
            }
            guard case .object(let o) = v else { throw fail("", "detection is not an object") }
            guard let img = Load.int(o["image_id"]) else { throw fail("image_id", "missing or not an integer") }
            guard let size = images[img] else { throw fail("image_id", "image \(img) is not in the ground truth") }
            guard let cat = Load.int(o["category_id"]) else { throw fail("category_id", "missing or not an integer") }
            guard categories.contains(cat) else { throw fail("category_id", "category \(cat) is not in the ground truth") }
            guard let score = Load.finite(o["score"]) else { throw fail("score", "missing or not a finite number") }
            if branch == nil {
                // pycocotools decides from the first detection only.
                if let b = o["bbox"], !(b.array?.isEmpty ?? false) { branch = .bbox }
                else if o["segmentation"] != nil { branch = .segm }
                else if o["keypoints"] != nil { throw fail("keypoints", "keypoint results are not supported (bbox and segm only)") }
                else { throw fail("", "detection has neither 'bbox' nor 'segmentation'") }
            }
            var seg: COCOSegmentation? = nil
            if let s = o["segmentation"] {
                switch Load.segmentation(s) {
                case .success(let x): seg = x
                case .failure(let m): throw fail("segmentation", m.message)
                }
                if case .rle(let r)? = seg, r.height != size.0 || r.width != size.1 {
                    throw fail("segmentation.size", "RLE size [\(r.height), \(r.width)] differs from the image's [\(size.0), \(size.1)]")
                }
                if case .polygons(let ps)? = seg {
                    for poly in ps where poly.contains(where: { abs($0) > 1e7 }) {
                        throw fail("segmentation", "polygon coordinate beyond ±1e7")
                    }
                    for poly in ps where RLE.polygonWalkLength(poly) == nil {
                        throw fail("segmentation", "polygon outline longer than 3.3 million pixels")
                    }
                }
            }
            let det: COCODetection
            switch branch! {
            case .bbox:
                guard let bv = o["bbox"] else { throw fail("bbox", "missing (the first detection has a box, so every one needs one)") }
                guard let b = Load.bbox(bv) else { throw fail("bbox", "not four finite numbers: \(bv.text())") }
                guard b.w >= 0, b.h >= 0 else { throw fail("bbox", "negative width or height: \(bv.text())") }
                guard abs(b.x) <= 1e7, abs(b.y) <= 1e7, b.w <= 1e7, b.h <= 1e7 else { throw fail("bbox", "coordinates beyond ±1e7: \(bv.text())") }
                let x1 = b.x, x2 = b.x + b.w, y1 = b.y, y2 = b.y + b.h
                det = COCODetection(id: Int64(i + 1), imageId: img, categoryId: cat, score: score, bbox: b, area: b.w * b.h,
                                    segmentation: seg ?? .polygons([[x1, y1, x1, y2, x2, y2, x2, y1]]), index: i, line: p.line)
            case .segm:
                guard case .rle(let r)? = seg else {
                    throw fail("segmentation", "segmentation results must be RLE (as pycocotools' loadRes requires)")
                }
                var b = BBox(x: 0, y: 0, w: 0, h: 0)
                if let bv = o["bbox"] {
                    guard let bb = Load.bbox(bv) else { throw fail("bbox", "not four finite numbers: \(bv.text())") }
                    b = bb
                } else {
                    let t = r.bbox
                    b = BBox(x: t.x, y: t.y, w: t.w, h: t.h)
                }
                det = COCODetection(id: Int64(i + 1), imageId: img, categoryId: cat, score: score, bbox: b,
                                    area: Double(UInt32(truncatingIfNeeded: r.area)), segmentation: seg, index: i, line: p.line)
            }
            out.append(det)
            i += 1
        }
        try reader.finish()
        return out
    }
}
