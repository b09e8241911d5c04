import Foundation
import BenchFormat
@testable import Harness
import Testing

@Suite struct ResultFileTests {
    @Test func roundTrip() throws {
        let r = try Fixture.result()
        let path = Fixture.tempPath("rt") + ".json"
        try r.write(to: path)
        let back = try BenchResult.read(path: path)
        #expect(back == r)
        #expect(try back.json() == r.json())
        // The documented top-level fields are present.
        let o = try Fixture.object(r)
        for key in ["format", "schema", "target", "created", "tool_version", "machine", "run", "cells", "reference_cell", "stages",
                    "memory", "lane_scaling", "encode_ceiling", "extrapolations"] {
            #expect(o[key] != nil, "missing \(key)")
        }
        let machine = o["machine"] as! [String: Any]
        #expect(machine["cpu_model"] as? String == "Test CPU @ 3.0GHz" && machine["cores"] as? Int == 2)
        let cell = (o["cells"] as! [[String: Any]])[0]
        let fph = cell["frames_per_hour"] as! [String: Any]
        #expect(Set(fph.keys) == ["median", "ci_low", "ci_high", "samples"])
        let memory = o["memory"] as! [String: Any]
        #expect(memory["bytes_per_env"] != nil && memory["fixed_bytes"] != nil && memory["r2"] != nil)
        let lanes = o["lane_scaling"] as! [String: Any]
        #expect(lanes["lanes"] as? [Int] == [1, 2] && lanes["speedup"] != nil && lanes["efficiency"] != nil)
        let ceiling = o["encode_ceiling"] as! [String: Any]
        #expect(ceiling["frames_per_second"] != nil && ceiling["ratio"] != nil)
    }

    /// Decodes `object` and returns the error's field and message.
    func failure(_ object: Any) throws -> ResultFileError {
        let data = try JSONSerialization.data(withJSONObject: object)
        do { _ = try BenchResult.decode(data, file: "x.json"); throw Unexpected() }
        catch let e as ResultFileError { return e }
    }
    struct Unexpected: Error {}

    @Test func malformedInputNamesTheField() throws {
        let good = try Fixture.object(try Fixture.result())
        func edited(_ change: (inout [String: Any]) -> Void) -> [String: Any] { var o = good; change(&o); return o }
        func cell0(_ change: @escaping (inout [String: Any]) -> Void) -> [String: Any] {
            edited { o in var cells = o["cells"] as! [[String: Any]]; change(&cells[0]); o["cells"] = cells }
        }

        var e = try failure(edited { $0["format"] = nil })
        #expect(e.field == "format" && e.message.contains("not a synthbench bench result"))
        e = try failure(["images": [], "annotations": []])  // a COCO file
        #expect(e.field == "format")
        e = try failure(edited { $0["schema"] = 2 })
        #expect(e.field == "schema" && e.message.contains("2"))
        e = try failure(edited { $0["schema"] = "1" })
        #expect(e.field == "schema")
        e = try failure(cell0 { $0["ratio"] = nil })
        #expect(e.field == "cells[0].ratio" && e.message == "missing")
        e = try failure(cell0 { $0["lanes"] = "two" })
        #expect(e.field == "cells[0].lanes" && e.message.contains("integer"))
        e = try failure(cell0 { c in var f = c["frames_per_hour"] as! [String: Any]; var s = f["samples"] as! [Double]; s[2] = -1; f["samples"] = s; c["frames_per_hour"] = f })
        #expect(e.field == "cells[0].frames_per_hour.samples[2]")
        e = try failure(cell0 { c in var f = c["ratio"] as! [String: Any]; f["samples"] = [Double](); c["ratio"] = f })
        #expect(e.field == "cells[0].ratio.samples")
        e = try failure(edited { $0["machine"] = "a laptop" })
        #expect(e.field == "machine" && e.message.contains("object"))
        e = try failure(edited { $0["reference_cell"] = ["envs": 3, "lanes": 3] })
        #expect(e.field == "reference_cell")
        e = try failure(edited { o in var l = o["lane_scaling"] as! [String: Any]; l["speedup"] = [1.0]; o["lane_scaling"] = l })
        #expect(e.field == "lane_scaling.speedup")
        e = try failure(edited { o in var m = o["memory"] as! [String: Any]; m["bytes_per_env"] = NSNull(); o["memory"] = m })
        #expect(e.field == "memory.bytes_per_env" && e.message.contains("null"))
        e = try failure([1, 2, 3])
        #expect(e.field == "" && e.message.contains("object"))
        #expect(e.description.hasPrefix("x.json: "))
    }

    @Test func unreadableFiles() throws {
        let path = Fixture.tempPath("bad") + ".json"
        #expect(throws: ResultFileError(file: path, field: "", message: "no such file")) { try BenchResult.read(path: path) }
        try "{\"format\": ".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: ResultFileError(file: path, field: "", message: "not valid JSON")) { try BenchResult.read(path: path) }
    }
}
