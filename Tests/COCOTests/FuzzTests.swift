import Foundation
import Testing
@testable import COCO
import Support

/// SplitMix64: a seeded generator, so every fuzz case can be replayed.
struct SeededRNG: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E3779B97F4A7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        return z ^ (z >> 31)
    }
}

/// An independent check of what `validate` claims when it says "valid": the bytes are JSON for Foundation's
/// parser, and the basic COCO invariants hold (checked here on Foundation's objects, not with the validator).
enum Oracle {
    static func isValidCOCO(_ data: [UInt8]) -> Bool {
        guard let top = try? JSONSerialization.jsonObject(with: Data(data)) as? [String: Any],
              let images = top["images"] as? [[String: Any]], let cats = top["categories"] as? [[String: Any]],
              let anns = top["annotations"] as? [[String: Any]] else { return false }
        func int(_ x: Any?) -> Int? {
            guard let n = x as? NSNumber else { return nil }
            let d = n.doubleValue
            return d == d.rounded() && abs(d) < 1e15 ? Int(d) : nil
        }
        var sizes: [Int: (Int, Int)] = [:]
        for im in images {
            guard let id = int(im["id"]), id > 0, sizes[id] == nil, let w = int(im["width"]), let h = int(im["height"]),
                  w > 0, h > 0, im["file_name"] is String else { return false }
            sizes[id] = (w, h)
        }
        var catIds = Set<Int>(), names = Set<String>()
        for c in cats {
            guard let id = int(c["id"]), id > 0, catIds.insert(id).inserted, let n = c["name"] as? String,
                  names.insert(n).inserted else { return false }
        }
        var annIds = Set<Int>()
        for a in anns {
            guard let id = int(a["id"]), id > 0, annIds.insert(id).inserted, let img = int(a["image_id"]),
                  let (w, h) = sizes[img], let c = int(a["category_id"]), catIds.contains(c),
                  let crowd = int(a["iscrowd"]), crowd == 0 || crowd == 1,
                  let bb = a["bbox"] as? [NSNumber], bb.count == 4,
                  let area = (a["area"] as? NSNumber)?.doubleValue, area > 0 else { return false }
            let b = bb.map(\.doubleValue)
            guard b[2] > 0, b[3] > 0, b[0] >= -1, b[1] >= -1, b[0] + b[2] <= Double(w) + 1, b[1] + b[3] <= Double(h) + 1,
                  area <= b[2] * b[3] + 1 else { return false }
        }
        return true
    }
}

@Suite struct FuzzTests {
    /// Minified valid inputs (no trailing newline: any truncation breaks the JSON).
    static func minified(_ name: String) throws -> [UInt8] {
        let v = try readJSON(Paths.valid.appendingPathComponent(name))
        return bytes(v.text(limit: Int.max))
    }

    enum Outcome: Equatable { case syntax, errors, valid }

    static func outcome(_ data: [UInt8]) -> Outcome {
        do {
            let r = try COCOValidator.validate(bytes: data)
            return r.exitCode(strict: false) == 0 ? .valid : .errors
        } catch is InputError {
            return .syntax
        } catch {
            Issue.record("unexpected error type: \(error)")
            return .syntax
        }
    }

    @Test func inputsAreValidToBeginWith() throws {
        for n in ["base.json", "multipart-polygon-compressed-crowd.json", "blenderproc-uncompressed-rle.json"] {
            let b = try Self.minified(n)
            #expect(Self.outcome(b) == .valid)
            let ok = Oracle.isValidCOCO(b)
            #expect(ok)
        }
    }

    @Test(arguments: ["base.json", "multipart-polygon-compressed-crowd.json"])
    func truncationsAreSyntaxErrors(_ name: String) throws {
        let b = try Self.minified(name)
        var rng = SeededRNG(seed: 0x7472756e63 ^ UInt64(name.utf8.count))
        for _ in 0..<150 {
            let n = Int.random(in: 0..<b.count, using: &rng)
            #expect(Self.outcome(Array(b.prefix(n))) == .syntax, "\(name) cut to \(n) bytes")
        }
    }

    @Test(arguments: ["base.json", "multipart-polygon-compressed-crowd.json", "blenderproc-uncompressed-rle.json"])
    func byteFlipsNeverClaimAnInvalidFileValid(_ name: String) throws {
        let b = try Self.minified(name)
        var rng = SeededRNG(seed: 0x666c6970 ^ UInt64(name.utf8.count))
        var counts: [Outcome: Int] = [:]
        for i in 0..<150 {
            var m = b
            let edits = i % 5 == 4 ? 3 : 1
            for _ in 0..<edits {
                let p = Int.random(in: 0..<m.count, using: &rng)
                var v = UInt8.random(in: 0...255, using: &rng)
                if v == m[p] { v ^= 0x01 }
                m[p] = v
            }
            let o = Self.outcome(m)
            counts[o, default: 0] += 1
            if o == .valid {
                let ok = Oracle.isValidCOCO(m)
                #expect(ok, "\(name) case \(i): validate says valid: \(String(decoding: m, as: UTF8.self))")
            }
        }
        // Most single-byte changes break the JSON or the COCO rules.
        #expect(counts[.valid, default: 0] < 30, "\(counts)")
    }

    @Test func structuralEditsEndInErrors() throws {
        let b = try Self.minified("base.json")
        var rng = SeededRNG(seed: 42)
        let structural: [UInt8] = Array("{}[],:\"".utf8)
        for i in 0..<100 {
            var m = b
            let p = Int.random(in: 1..<(m.count - 1), using: &rng)
            switch i % 3 {
            case 0: m.insert(structural.randomElement(using: &rng)!, at: p)
            case 1: m.remove(at: p)
            default: m[p] = structural.randomElement(using: &rng)!
            }
            let o = Self.outcome(m)
            if o == .valid {
                let ok = Oracle.isValidCOCO(m)
                #expect(ok, "case \(i): \(String(decoding: m, as: UTF8.self))")
            }
        }
    }

    /// The eval loaders meet the same inputs without crashing.
    @Test func evalLoadersSurviveMutations() throws {
        let b = try Self.minified("base.json")
        var rng = SeededRNG(seed: 7)
        for _ in 0..<150 {
            var m = b
            let p = Int.random(in: 0..<m.count, using: &rng)
            m[p] = UInt8.random(in: 0...255, using: &rng)
            guard let gt = try? COCODataset.load(bytes: m) else { continue }
            for t in IoUType.allCases {
                let dets = gt.annotations.map {
                    COCODetection(id: $0.id, imageId: $0.imageId, categoryId: $0.categoryId, score: 0.5,
                                  bbox: $0.bbox ?? BBox(x: 0, y: 0, w: 1, h: 1), area: $0.area ?? 1, segmentation: $0.segmentation)
                }
                _ = try? COCOEvaluator.evaluate(gt: gt, dt: dets, iouType: t)
            }
        }
    }
}
