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

    /// `[x, y, w, h]` of the foreground, as pycocotools' `toBbox` (all zeros for an empty mask).
    public var boundingBox: [Double] {
        var xMin = Int.max, xMax = -1, yMin = Int.max, yMax = -1
        var pos = 0
        for (k, c) in counts.enumerated() {
            let n = Int(c)
            if k % 2 == 1 && n > 0 {
                let first = pos, last = pos + n - 1
                let x0 = first / height, x1 = last / height
                xMin = min(xMin, x0); xMax = max(xMax, x1)
                if x0 == x1 {
                    yMin = min(yMin, first % height); yMax = max(yMax, last % height)
                } else {
                    yMin = 0; yMax = height - 1
                }
            }
            pos += n
        }
        if xMax < 0 { return [0, 0, 0, 0] }
        return [Double(xMin), Double(yMin), Double(xMax - xMin + 1), Double(yMax - yMin + 1)]
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
