import Foundation
import Support
import BenchFormat

/// The throughput a bench result file records.
public struct BenchFacts: Sendable, Equatable {
    public var framesPerHour: Double
    /// Which cell the figure comes from.
    public var cell: String
    public var imageWidth: Int?
    public var imageHeight: Int?
    /// "release" or "debug" when the file says.
    public var build: String?
    public var schema: String

    /// Reads a `synthbench bench` result (Harness schema: the reference cell's median frames per hour), or
    /// any JSON object with `cells[].frames_per_hour.median` (the best cell).
    public static func read(path: String, limits: GradingLimits = .standard, field: String = "") throws -> BenchFacts {
        let bytes = try BoundedRead.bytes(path, limit: limits.smallJSONBytes, what: "bench result", field: field)
        let top: Any
        do { top = try JSONSerialization.jsonObject(with: Data(bytes)) }
        catch { throw InputError(file: path, field: field, message: "not valid JSON") }
        guard let object = top as? [String: Any] else {
            throw InputError(file: path, field: field, message: "expected a JSON object at the top level")
        }
        if object["format"] as? String == BenchResult.formatName {
            let r: BenchResult
            do { r = try BenchResult.decode(Data(bytes), file: path) }
            catch let e as ResultFileError { throw InputError(file: path, field: e.field, message: e.message) }
            guard let c = r.cell(r.referenceCell) else {
                throw InputError(file: path, field: "reference_cell", message: "names no cell")
            }
            return BenchFacts(framesPerHour: c.framesPerHour.median, cell: "reference cell (\(c.key))",
                              imageWidth: r.run.imageWidth, imageHeight: r.run.imageHeight, build: r.run.build,
                              schema: "\(BenchResult.formatName) v\(r.schema)")
        }
        guard let cells = object["cells"] as? [Any], !cells.isEmpty else {
            throw InputError(file: path, field: "cells", message: "missing or empty (expected cells[].frames_per_hour.median)")
        }
        var best: (Double, String)?
        for (i, c) in cells.enumerated() {
            guard let cell = c as? [String: Any], let fph = cell["frames_per_hour"] as? [String: Any],
                  let median = (fph["median"] as? NSNumber)?.doubleValue, median.isFinite, median >= 0 else {
                throw InputError(file: path, field: "cells[\(i)].frames_per_hour.median", message: "missing or not a finite number")
            }
            var label = "cells[\(i)]"
            if let e = cell["envs"] as? Int, let l = cell["lanes"] as? Int { label += " (envs \(e), lanes \(l))" }
            if best == nil || median > best!.0 { best = (median, label) }
        }
        var width: Int?, height: Int?, build: String?
        if let run = object["run"] as? [String: Any] {
            width = run["image_width"] as? Int; height = run["image_height"] as? Int; build = run["build"] as? String
            for (name, v) in [("image_width", width), ("image_height", height)] {
                if let v, !(1...(1 << 15)).contains(v) {
                    throw InputError(file: path, field: "run.\(name)", message: "\(v) is outside 1...32768")
                }
            }
        }
        return BenchFacts(framesPerHour: best!.0, cell: best!.1, imageWidth: width, imageHeight: height, build: build,
                          schema: "cells[].frames_per_hour.median")
    }
}
