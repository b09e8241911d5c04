import Foundation
import Testing
@testable import COCO

/// Mask operations against maskApi outputs recorded by make_eval_reference.py (rle_reference.json).
@Suite struct RLEReferenceTests {
    static func checkAll(_ ref: JSONValue) throws {
        for (i, p) in ref["polygons"]!.list.enumerated() {
            let h = p["h"]!.int, w = p["w"]!.int
            let r = RLE.fromPolygon(p["xy"]!.doubles, height: h, width: w)
            #expect(r.compressedString == p["counts"]!.string!, "polygon \(i): \(p["xy"]!.doubles)")
            #expect(r.area == p["area"]!.int, "polygon \(i) area")
            #expect(r.boundingBox == p["bbox"]!.doubles, "polygon \(i) bbox")
        }
        for (i, m) in ref["masks"]!.list.enumerated() {
            let h = m["h"]!.int, w = m["w"]!.int
            let s = m["counts"]!.string!
            let r = try #require(RLE.decompress(s, height: h, width: w))
            #expect(r.counts == m["uncompressed"]!.list.map { UInt32($0.int) }, "mask \(i) counts")
            #expect(r.compressedString == s, "mask \(i) round trip")
            #expect(r.area == m["area"]!.int, "mask \(i) area")
            #expect(r.boundingBox == m["bbox"]!.doubles, "mask \(i) bbox")
            #expect(r.pixelCount == h * w)
            let again = RLE.encode(columnMajor: r.decodeColumnMajor(), height: h, width: w)
            #expect(again.counts == r.counts, "mask \(i) decode/encode")
        }
        for (i, m) in ref["merges"]!.list.enumerated() {
            let h = m["h"]!.int, w = m["w"]!.int
            let parts = m["parts"]!.list.map(\.doubles)
            let rles = parts.map { RLE.fromPolygon($0, height: h, width: w) }
            #expect(RLE.merge(rles).compressedString == m["union"]!.string!, "merge \(i) union")
            #expect(RLE.merge(rles, intersect: true).compressedString == m["intersection"]!.string!, "merge \(i) intersection")
        }
        for (i, c) in ref["ious"]!.list.enumerated() {
            let h = c["h"]!.int, w = c["w"]!.int
            let dts = c["dt"]!.strings.map { RLE.decompress($0, height: h, width: w)! }
            let gts = c["gt"]!.strings.map { RLE.decompress($0, height: h, width: w)! }
            let crowd = c["crowd"]!.list.map { $0.int == 1 }
            let iou = c["iou"]!.list.map(\.doubles)
            let db = c["dtBoxes"]!.list.map(\.doubles)
            let gb = c["gtBoxes"]!.list.map(\.doubles)
            let biou = c["boxIou"]!.list.map(\.doubles)
            for d in 0..<dts.count {
                for g in 0..<gts.count {
                    let v = RLE.maskIoU(dts[d], gts[g], dtBox: dts[d].bbox, gtBox: gts[g].bbox, crowd: crowd[g])
                    #expect(v == iou[d][g], "iou case \(i) [\(d), \(g)]: \(v) vs \(iou[d][g])")
                    let b = RLE.boxIoU((db[d][0], db[d][1], db[d][2], db[d][3]), (gb[g][0], gb[g][1], gb[g][2], gb[g][3]), crowd: crowd[g])
                    #expect(b == biou[d][g], "box iou case \(i) [\(d), \(g)]: \(b) vs \(biou[d][g])")
                }
            }
        }
    }

    @Test func matchesMaskApi() throws {
        try Self.checkAll(try readJSON(Paths.evalCases.appendingPathComponent("rle_reference.json")))
    }

    @Test func compressedStringRoundTripsRandomCounts() {
        var g = SeededRNG(seed: TestSeed.make("RLEReferenceTests.compressedStringRoundTripsRandomCounts"))
        for _ in 0..<200 {
            let n = Int.random(in: 1...40, using: &g)
            let counts = (0..<n).map { i in UInt32(i == 0 ? Int.random(in: 0...5, using: &g) : Int.random(in: 1...100_000, using: &g)) }
            let total = counts.reduce(0) { $0 + Int($1) }
            let r = RLE(height: 1, width: total, counts: counts)
            #expect(RLE.decompress(r.compressedString, height: 1, width: total) == r)
        }
    }

    @Test func malformedCompressedStringsAreRejected() {
        #expect(RLE.decompress("ab~", height: 2, width: 2) == nil)   // '~' is outside the alphabet
        #expect(RLE.decompress("o", height: 2, width: 2) == nil)     // continuation bit with nothing after
        #expect(RLE.decompress("", height: 0, width: 0)?.counts == [])
    }

    @Test func boundingBoxOfEmptyAndFullMasks() {
        #expect(RLE(height: 4, width: 5, counts: [20]).boundingBox == [0, 0, 0, 0])
        #expect(RLE(height: 4, width: 5, counts: [0, 20]).boundingBox == [0, 0, 5, 4])
        #expect(RLE(height: 4, width: 5, counts: [5, 2, 13]).boundingBox == [1, 1, 1, 2])
    }

    /// The generator's encoder against the column-major reference encoder on random label images.
    @Test func encodeLabelsMatchesColumnMajorEncode() {
        var g = SeededRNG(seed: TestSeed.make("RLEReferenceTests.encodeLabelsMatchesColumnMajorEncode"))
        for _ in 0..<50 {
            let w = Int.random(in: 1...20, using: &g), h = Int.random(in: 1...20, using: &g)
            var labels = [UInt16](repeating: 0, count: w * h)
            let x0 = Int.random(in: 0..<w, using: &g), x1 = Int.random(in: x0..<w, using: &g)
            let y0 = Int.random(in: 0..<h, using: &g), y1 = Int.random(in: y0..<h, using: &g)
            for y in y0...y1 { for x in x0...x1 where Bool.random(using: &g) { labels[y * w + x] = 3 } }
            var cm = [UInt8](repeating: 0, count: w * h)
            for x in 0..<w { for y in 0..<h { cm[x * h + y] = labels[y * w + x] == 3 ? 1 : 0 } }
            let ref = RLE.encode(columnMajor: cm, height: h, width: w)
            let got = labels.withUnsafeBufferPointer { RLE.encode(labels: $0, width: w, height: h, id: 3, bounds: (x0, y0, x1, y1)) }
            #expect(RLE.decompress(got.compressedString, height: h, width: w)?.decodeColumnMajor() == cm)
            #expect(got.area == ref.area)
            if ref.area > 0 { #expect(got.boundingBox == ref.boundingBox) }
        }
    }
}
