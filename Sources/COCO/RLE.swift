/// Run-length encoding of a binary mask in COCO's convention: column-major (Fortran) order, runs
/// alternating 0s and 1s starting with 0s; `compressedString` is pycocotools' `rleToString` format.
public struct RLE: Equatable, Sendable {
    public var height: Int
    public var width: Int
    public var counts: [UInt32]

    public init(height: Int, width: Int, counts: [UInt32]) {
        self.height = height; self.width = width; self.counts = counts
    }

    /// Number of foreground pixels.
    public var area: Int {
        var a = 0
        var i = 1
        while i < counts.count { a += Int(counts[i]); i += 2 }
        return a
    }

    /// `[x, y, w, h]` of the foreground, exactly as pycocotools' `toBbox` (maskApi `rleToBbox`), including its
    /// conventions: all zeros when there are fewer than two runs, and a trailing run of 0s is ignored.
    public var boundingBox: [Double] {
        let b = bbox
        return [b.x, b.y, b.w, b.h]
    }

    /// `boundingBox` as a tuple (no allocation).
    public var bbox: (x: Double, y: Double, w: Double, h: Double) {
        let m = (counts.count / 2) * 2
        if m == 0 || height <= 0 { return (0, 0, 0, 0) }
        let h = UInt32(truncatingIfNeeded: height), w = UInt32(truncatingIfNeeded: width)
        var xs = w, ys = h, xe: UInt32 = 0, ye: UInt32 = 0, cc: UInt32 = 0, xp: UInt32 = 0
        counts.withUnsafeBufferPointer { c in
            for j in 0..<m {
                cc &+= c[j]
                let t = cc &- UInt32(j % 2)
                let y = t % h, x = (t &- y) / h
                if j % 2 == 0 { xp = x } else if xp < x { ys = 0; ye = h &- 1 }
                xs = Swift.min(xs, x); xe = Swift.max(xe, x); ys = Swift.min(ys, y); ye = Swift.max(ye, y)
            }
        }
        return (Double(xs), Double(ys), Double(xe &- xs &+ 1), Double(ye &- ys &+ 1))
    }

    /// Encodes the pixels equal to `id` in a row-major `width`×`height` label image. `bounds` (inclusive
    /// x0, y0, x1, y1) must contain every pixel of `id`; only that rectangle is scanned.
    public static func encode(labels: UnsafeBufferPointer<UInt16>, width: Int, height: Int, id: UInt16,
                              bounds: (x0: Int, y0: Int, x1: Int, y1: Int)) -> RLE {
        var counts: [UInt32] = []
        var inside = false
        var runStart = 0
        func close(at i: Int) { counts.append(UInt32(i - runStart)); runStart = i; inside.toggle() }
        for x in bounds.x0...bounds.x1 {
            let column = x * height
            if inside && bounds.y0 > 0 { close(at: column) }
            var y = bounds.y0
            var p = y * width + x
            while y <= bounds.y1 {
                if (labels[p] == id) != inside { close(at: column + y) }
                y += 1; p += width
            }
            if inside && bounds.y1 < height - 1 { close(at: column + bounds.y1 + 1) }
        }
        let total = width * height
        if inside { close(at: bounds.x1 * height + bounds.y1 + 1) }
        if runStart < total { counts.append(UInt32(total - runStart)) }
        return RLE(height: height, width: width, counts: counts)
    }

    /// pycocotools' compressed string (`rleToString`).
    public var compressedString: String {
        var out: [UInt8] = []
        out.reserveCapacity(counts.count * 2)
        for i in 0..<counts.count {
            var x = Int64(counts[i])
            if i > 2 { x -= Int64(counts[i - 2]) }
            var more = true
            while more {
                var c = UInt8(truncatingIfNeeded: x & 0x1f)
                x >>= 5
                more = (c & 0x10) != 0 ? x != -1 : x != 0
                if more { c |= 0x20 }
                out.append(c + 48)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Parses pycocotools' compressed string (`rleFrString`); nil when the string is malformed.
    public static func decompress(_ s: String, height: Int, width: Int) -> RLE? {
        let bytes = Array(s.utf8)
        var counts: [UInt32] = []
        var p = 0
        while p < bytes.count {
            var x: Int64 = 0
            var k: Int64 = 0
            var more = true
            while more {
                guard p < bytes.count, bytes[p] >= 48, bytes[p] < 48 + 64, k < 13 else { return nil }
                let c = Int64(bytes[p]) - 48
                x |= (c & 0x1f) << (5 * k)
                more = (c & 0x20) != 0
                p += 1; k += 1
                if !more && (c & 0x10) != 0 { x |= -1 << (5 * k) }
            }
            if counts.count > 2 { x += Int64(counts[counts.count - 2]) }
            guard x >= 0, x <= Int64(UInt32.max) else { return nil }
            counts.append(UInt32(x))
        }
        return RLE(height: height, width: width, counts: counts)
    }
}
