import COCO
import Foundation
import Generator
@testable import Grading
import Randomization
import Support
import TestSupport

/// Builds graded submissions from real (small) generated datasets and a seeded simulated detector.
///
/// A variant's text files (submission.yaml, test-set ground truth, detections, training logs, bench result,
/// `datasets.tsv` naming the datasets to generate) are what fixtures/submissions/<variant>/ holds; the
/// datasets themselves are generated at test time (`synthbench generate` with the listed config).
enum Fixtures {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    static let smallRubricPath = repo + "/fixtures/rubrics/small-course.yaml"
    static let smallRubric: Rubric = try! Rubric.load(path: smallRubricPath)
    static let committed = repo + "/fixtures/submissions"

    static func tempDir(_ tag: String) -> String {
        let p = NSTemporaryDirectory() + "synthbench-grade-\(tag)-\(UUID().uuidString.prefix(8))"
        try! FileManager.default.createDirectory(atPath: p, withIntermediateDirectories: true)
        return p
    }

    // MARK: Datasets

    struct DatasetSpec: Equatable {
        var path: String
        var preset: String
        var frames: Int
        var envs: Int
        var seed: UInt64
        var configFile: String { "configs/\(preset)-96x72.yaml" }
        var line: String { "\(path)\t\(configFile)\t\(frames)\t\(envs)\t\(seed)" }
    }

    static func configYAML(_ preset: String) -> String {
        "preset: \(preset)\nimage: {width: 96, height: 72}\nepisode: {frames: 4, render_every: 15, dt: 0.01}\n"
    }

    static func config(_ preset: String) -> GeneratorConfig {
        try! GeneratorConfig.parse(yaml: configYAML(preset), file: "<fixture>")
    }

    /// Generated once per process and copied.
    static let cacheRoot = tempDir("cache")
    static let cacheLock = NSLock()
    nonisolated(unsafe) static var cached: [String: String] = [:]

    static func generated(_ spec: DatasetSpec) throws -> String {
        let key = "\(spec.preset)-\(spec.frames)-\(spec.envs)-\(spec.seed)"
        cacheLock.lock(); defer { cacheLock.unlock() }
        if let p = cached[key] { return p }
        let out = cacheRoot + "/" + key
        var o = GenerateOptions(config: config(spec.preset), frames: spec.frames, envs: spec.envs, lanes: 2, seed: spec.seed, output: out)
        o.progress = false
        _ = try Generator.run(o)
        cached[key] = out
        return out
    }

    // MARK: Test sets

    /// The "real" and "synthetic" test sets: generated datasets' ground truth with segmentations removed
    /// (box evaluation needs bbox, area and iscrowd), one annotation per line.
    static let testSetText: [String: String] = {
        var out: [String: String] = [:]
        for (name, spec) in [("real", DatasetSpec(path: "", preset: "full", frames: 120, envs: 4, seed: 21)),
                             ("synthetic", DatasetSpec(path: "", preset: "full", frames: 60, envs: 4, seed: 31))] {
            let dir = try! generated(spec)
            let gt = try! COCODataset.load(path: dir + "/annotations.json")
            out[name] = groundTruthJSON(gt, description: "\(name) test set (stand-in: generated, preset full, seed \(spec.seed))")
        }
        return out
    }()

    static func groundTruthJSON(_ gt: COCODataset, description: String) -> String {
        var s = "{\"info\":{\"description\":\(JSONText.string(description))},\"licenses\":[],\n\"categories\":["
        s += gt.categories.map { "{\"id\":\($0.id),\"name\":\(JSONText.string($0.name)),\"supercategory\":\"object\"}" }.joined(separator: ",")
        s += "],\n\"images\":[\n"
        s += gt.images.map { "{\"id\":\($0.id),\"file_name\":\(JSONText.string($0.fileName)),\"width\":\($0.width),\"height\":\($0.height)}" }.joined(separator: ",\n")
        s += "\n],\n\"annotations\":[\n"
        s += gt.annotations.map { a in
            let b = a.bbox!
            return "{\"id\":\(a.id),\"image_id\":\(a.imageId),\"category_id\":\(a.categoryId),\"bbox\":\(JSONText.array([b.x, b.y, b.w, b.h])),\"area\":\(JSONText.number(a.area!)),\"iscrowd\":0}"
        }.joined(separator: ",\n")
        return s + "\n]}\n"
    }

    static let testSets: [String: COCODataset] = testSetText.mapValues { try! COCODataset.load(bytes: Array($0.utf8)) }

    // MARK: Models

    struct ModelSpec {
        var id: String
        var randomization: String?
        var trainedOn: String
        var pretrainedOn: String
        var dataset: String?
        var realMiss: Double
        var syntheticMiss: Double?
        /// (wall seconds, held-out metric) per epoch; images seen = epoch × 2400.
        var log: [(Double, Double)]?
    }

    static func ramp(epochs: Int, seconds: Double, from a: Double, to b: Double) -> [(Double, Double)] {
        // Metrics rounded as the CSV writes them, so reported numbers derive from the same values the grader reads.
        (1...epochs).map { e in
            (seconds * Double(e) / Double(epochs), ((a + (b - a) * Double(e - 1) / Double(max(1, epochs - 1))) * 10_000).rounded() / 10_000)
        }
    }

    static let baseModels: [ModelSpec] = [
        ModelSpec(id: "none", randomization: "none", trainedOn: "synthetic", pretrainedOn: "imagenet", dataset: "train",
                  realMiss: 0.225, syntheticMiss: 0.05, log: ramp(epochs: 10, seconds: 7200, from: 0.40, to: 0.80)),
        ModelSpec(id: "light", randomization: "light", trainedOn: "synthetic", pretrainedOn: "imagenet", dataset: "train",
                  realMiss: 0.20, syntheticMiss: 0.05, log: ramp(epochs: 10, seconds: 7200, from: 0.40, to: 0.82)),
        ModelSpec(id: "full", randomization: "full", trainedOn: "synthetic", pretrainedOn: "imagenet", dataset: "train",
                  realMiss: 0.10, syntheticMiss: 0.04, log: ramp(epochs: 10, seconds: 7200, from: 0.45, to: 0.88)),
        ModelSpec(id: "scratch", randomization: nil, trainedOn: "real", pretrainedOn: "none", dataset: nil,
                  realMiss: 0.06, syntheticMiss: nil, log: ramp(epochs: 10, seconds: 172_800, from: 0.30, to: 0.92)),
        ModelSpec(id: "finetuned", randomization: "full", trainedOn: "real", pretrainedOn: "full", dataset: nil,
                  realMiss: 0.07, syntheticMiss: nil, log: [(360, 0.86), (720, 0.89), (1080, 0.91), (1440, 0.92), (1800, 0.93)]),
    ]

    // MARK: Variants

    struct Variant {
        var name: String
        var datasets: [DatasetSpec]
        var models: [ModelSpec]
        var framesPerHour = 150_000.0
        var bindings: [String: [String: String]]
        /// Reported numbers replaced (check id → value), or removed (nil).
        var reportedOverrides: [String: Double?] = [:]
        var reportedAccuracyOverrides: [String: Double] = [:]
        /// Raw submission.yaml replacing the generated one.
        var rawYAML: String?
    }

    static let baseBindings: [String: [String: String]] = [
        "obj8": ["bench": "main"],
        "lab1": ["candidate": "full", "baseline": "none"],
        "lab2": ["dataset": "train"],
        "lab3": ["fine_tuned": "finetuned", "scratch": "scratch"],
        "ex1": ["dataset": "train"],
        "ex2": ["candidate": "full", "light": "light", "none": "none"],
        "ex3": ["fine_tuned": "finetuned", "scratch": "scratch"],
        "ex4": ["model": "full"],
        "capstone": ["dataset": "train", "model": "finetuned", "fine_tuned": "finetuned"],
    ]

    static let trainSpec = DatasetSpec(path: "data/train", preset: "full", frames: 24, envs: 4, seed: 7)

    /// Variant name → the failing checks it must produce (the pass variant: none).
    static let expectedFailures: [String: Set<String>] = [
        "pass": [],
        "discrepancy": [],
        "fail-obj8": ["obj8.frames_per_hour"],
        "fail-lab1": ["lab1.gain"],
        "fail-lab2": ["lab2.envs"],
        "fail-lab3": ["lab3.time_saving"],
        "fail-ex1": ["ex1.frames", "ex1.size"],
        "fail-ex2": ["ex2.full_better"],
        "fail-ex3": ["ex3.speedup"],
        "fail-ex4": ["ex4.gap"],
        "fail-capstone": ["capstone.accuracy"],
    ]

    static func variant(_ name: String) -> Variant {
        var v = Variant(name: name, datasets: [trainSpec], models: baseModels, bindings: baseBindings)
        func add(_ m: ModelSpec) { v.models.append(m) }
        switch name {
        case "pass": break
        case "discrepancy":
            v.reportedOverrides["lab1.gain"] = 20.5
            v.reportedAccuracyOverrides["full"] = 97
        case "fail-obj8": v.framesPerHour = 80_000
        case "fail-lab1":
            add(ModelSpec(id: "none_b", randomization: "none", trainedOn: "synthetic", pretrainedOn: "imagenet", dataset: "train",
                          realMiss: 0.16, syntheticMiss: nil, log: nil))
            v.bindings["lab1"]!["baseline"] = "none_b"
        case "fail-lab2":
            v.datasets.append(DatasetSpec(path: "data/lab2", preset: "full", frames: 24, envs: 2, seed: 8))
            v.bindings["lab2"]!["dataset"] = "lab2"
        case "fail-lab3":
            add(ModelSpec(id: "finetuned_slow", randomization: "full", trainedOn: "real", pretrainedOn: "full", dataset: nil,
                          realMiss: 0.07, syntheticMiss: nil, log: ramp(epochs: 5, seconds: 160_000, from: 0.84, to: 0.92)))
            v.bindings["lab3"]!["fine_tuned"] = "finetuned_slow"
        case "fail-ex1":
            v.datasets.append(DatasetSpec(path: "data/small", preset: "full", frames: 8, envs: 4, seed: 9))
            v.bindings["ex1"]!["dataset"] = "small"
        case "fail-ex2":
            v.models[1].realMiss = 0.11
        case "fail-ex3":
            v.models[3].log = ramp(epochs: 10, seconds: 40_000, from: 0.30, to: 0.92)
        case "fail-ex4", "fail-capstone":
            add(ModelSpec(id: "overfit", randomization: "none", trainedOn: "synthetic", pretrainedOn: "imagenet", dataset: "train",
                          realMiss: 0.35, syntheticMiss: 0.02, log: ramp(epochs: 10, seconds: 7200, from: 0.5, to: 0.97)))
            if name == "fail-ex4" { v.bindings["ex4"]!["model"] = "overfit" } else { v.bindings["capstone"]!["model"] = "overfit" }
        case "escape-dotdot":
            v.rawYAML = "student: mallory\nexercises: [ex1]\ndatasets:\n  big: ../../etc\n"
        case "escape-absolute":
            v.rawYAML = "student: mallory\nexercises: [ex1]\ndatasets:\n  big: data/train\nmodels:\n  m:\n    trained_on: real\n    training_log: /etc/passwd\n"
        case "malformed-yaml":
            v.rawYAML = "student: [unclosed\nexercises: [ex1]\n"
        case "malformed-field":
            v.rawYAML = "student: bob\nexercises: [ex4]\nmodels:\n  m:\n    trained_on: synthetic\n    randomization: extreme\n"
        default: fatalError("unknown variant \(name)")
        }
        return v
    }

    static let variantNames = ["pass", "discrepancy", "fail-obj8", "fail-lab1", "fail-lab2", "fail-lab3", "fail-ex1", "fail-ex2",
                               "fail-ex3", "fail-ex4", "fail-capstone", "escape-dotdot", "escape-absolute", "malformed-yaml",
                               "malformed-field"]
    /// The variants kept in fixtures/submissions/ (the command-line tests grade them; the others differ from
    /// `pass` in a file or two and are built by the tests).
    static let committedNames = ["pass", "fail-ex2", "escape-dotdot", "escape-absolute", "malformed-yaml", "malformed-field"]

    // MARK: Writing

    static func detectorSeed(_ model: String, _ set: String) -> UInt64 {
        CounterRNG.key((model + "/" + set).utf8.map { UInt64($0) })
    }

    /// The results file's text (boxes and scores to 3 decimals) and the detections it loads as.
    static func detections(_ m: ModelSpec, _ set: String) -> (text: String, loaded: [COCODetection])? {
        guard let miss = set == "real" ? m.realMiss : m.syntheticMiss else { return nil }
        let d = SimulatedDetector(missRate: miss, seed: detectorSeed(m.id, set), misses: .exact)
        let text = SimulatedDetector.resultsJSON(d.detect(testSets[set]!), decimals: 3)
        return (text, try! COCOResults.load(bytes: Array(text.utf8), against: testSets[set]!))
    }

    static func accuracy(_ m: ModelSpec, _ set: String) -> Double? {
        guard let dets = detections(m, set) else { return nil }
        let r = try! COCOEvaluator.evaluate(gt: testSets[set]!, dt: dets.loaded, iouType: .bbox)
        return r.stats[1] * 100
    }

    static func round2(_ x: Double) -> Double { (x * 100).rounded() / 100 }

    static func logCSV(_ rows: [(Double, Double)]) -> String {
        "epoch,wall_seconds,images_seen,metric,phase\n" + rows.enumerated().map { i, r in
            "\(i + 1),\(GradeFormat.number(r.0)),\((i + 1) * 2400),\(GradeFormat.number(r.1, digits: 4)),train"
        }.joined(separator: "\n") + "\n"
    }

    /// Every text file of the variant, relative path → contents.
    static func files(_ v: Variant) -> [String: String] {
        var out: [String: String] = [:]
        out["datasets.tsv"] = "# path\tconfig\tframes\tenvs\tseed (generate with: synthbench generate --config CONFIG --frames N --envs E --seed S --out PATH)\n"
            + v.datasets.map(\.line).joined(separator: "\n") + "\n"
        for preset in Set(v.datasets.map(\.preset)) { out["configs/\(preset)-96x72.yaml"] = configYAML(preset) }
        if let raw = v.rawYAML { out["submission.yaml"] = raw; return out }
        out["test/real.json"] = testSetText["real"]
        out["test/synthetic.json"] = testSetText["synthetic"]
        out["bench/result.json"] = """
        {"format":"course-bench","run":{"image_width":640,"image_height":480,"build":"release"},
         "cells":[{"envs":8,"lanes":2,"frames_per_hour":{"median":\(JSONText.number(v.framesPerHour * 0.6))}},
                  {"envs":64,"lanes":16,"frames_per_hour":{"median":\(JSONText.number(v.framesPerHour))}}]}

        """
        var acc: [String: [String: Double]] = [:]
        for m in v.models {
            for set in ["real", "synthetic"] {
                if let d = detections(m, set) {
                    out["det/\(m.id)-\(set).json"] = d.text
                    acc[m.id, default: [:]][set] = accuracy(m, set)
                }
            }
            if let log = m.log { out["logs/\(m.id).csv"] = logCSV(log) }
        }
        func model(_ role: String, _ ex: String) -> ModelSpec { let id = v.bindings[ex]![role]!; return v.models.first { $0.id == id }! }
        func log(_ m: ModelSpec) -> [(Double, Double)] { m.log! }
        // Reported numbers, computed the way the chapter defines them.
        var reported: [(String, Double)] = []
        reported.append(("obj8.frames_per_hour", v.framesPerHour))
        reported.append(("lab1.gain", round2(acc[model("candidate", "lab1").id]!["real"]! - acc[model("baseline", "lab1").id]!["real"]!)))
        let lab2 = v.datasets.first { $0.path == "data/" + v.bindings["lab2"]!["dataset"]! }!
        reported.append(("lab2.envs", Double(lab2.envs)))
        reported.append(("lab2.frames", Double(lab2.frames)))
        do {
            let ft = model("fine_tuned", "lab3"), sc = model("scratch", "lab3")
            let target = log(sc).map(\.1).max()!
            let ts = log(sc).first { $0.1 >= target }!.0
            let pre = v.models.first { $0.id == ft.pretrainedOn }!
            if let tf = log(ft).first(where: { $0.1 >= target })?.0 {
                reported.append(("lab3.time_saving", round2((1 - (tf + log(pre).last!.0) / ts) * 100)))
            }
        }
        let ex1 = v.datasets.first { $0.path == "data/" + v.bindings["ex1"]!["dataset"]! }!
        reported.append(("ex1.frames", Double(ex1.frames)))
        let cand = acc[model("candidate", "ex2").id]!["real"]!
        reported.append(("ex2.full_better", round2(min(cand - acc[model("light", "ex2").id]!["real"]!, cand - acc[model("none", "ex2").id]!["real"]!))))
        do {
            let ft = model("fine_tuned", "ex3"), sc = model("scratch", "ex3")
            let pre = v.models.first { $0.id == ft.pretrainedOn }!
            reported.append(("ex3.speedup", round2(log(sc).last!.0 / (log(ft).last!.0 + log(pre).last!.0))))
            reported.append(("ex3.accuracy_loss", round2(acc[sc.id]!["real"]! - acc[ft.id]!["real"]!)))
        }
        let m4 = model("model", "ex4")
        reported.append(("ex4.gap", round2(acc[m4.id]!["synthetic"]! - acc[m4.id]!["real"]!)))
        reported.append(("ex4.frames_needed", Double(v.datasets.first { $0.path == "data/" + m4.dataset! }!.frames)))
        reported.append(("capstone.accuracy", round2(acc[model("model", "capstone").id]!["real"]!)))
        var reportedMap = Dictionary(uniqueKeysWithValues: reported)
        for (k, val) in v.reportedOverrides { reportedMap[k] = val }

        var y = "# Submission for the chapter 4 exercises (format: docs/GRADING.md).\n"
        y += "student: \(v.name)\n"
        y += "exercises:\n"
        for ex in ["obj8", "lab1", "lab2", "lab3", "ex1", "ex2", "ex3", "ex4", "capstone"] {
            let roles = v.bindings[ex]!.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")
            y += "  \(ex): {\(roles)}\n"
        }
        y += "datasets:\n"
        for d in v.datasets { y += "  \((d.path as NSString).lastPathComponent): \(d.path)\n" }
        y += "bench:\n  main: bench/result.json\n"
        y += "test_sets:\n  real: test/real.json\n  synthetic: test/synthetic.json\n"
        y += "models:\n"
        for m in v.models {
            y += "  \(m.id):\n"
            if let r = m.randomization { y += "    randomization: \(r)\n" }
            y += "    trained_on: \(m.trainedOn)\n    pretrained_on: \(m.pretrainedOn)\n"
            if let d = m.dataset { y += "    dataset: \(d)\n" }
            y += "    detections:\n"
            for set in ["real", "synthetic"] where out["det/\(m.id)-\(set).json"] != nil { y += "      \(set): det/\(m.id)-\(set).json\n" }
            if m.log != nil { y += "    training_log: logs/\(m.id).csv\n" }
            let rep = v.reportedAccuracyOverrides[m.id] ?? acc[m.id]?["real"].map(round2)
            if let rep { y += "    reported_accuracy: {real: \(GradeFormat.number(rep))}\n" }
        }
        y += "reported:\n"
        for c in smallRubric.checks {
            if let val = reportedMap[c.id] { y += "  \(c.id): \(GradeFormat.number(val))\n" }
        }
        out["submission.yaml"] = y
        return out
    }

    /// Writes the variant's text files under `dir`.
    static func write(_ files: [String: String], to dir: String) throws {
        for (rel, text) in files {
            let p = dir + "/" + rel
            try FileManager.default.createDirectory(atPath: (p as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try FileIO.writeAtomically(text, to: p)
        }
    }

    /// A complete submission on disk: text files plus the generated datasets (copied from the cache).
    static func build(_ name: String, into dir: String? = nil) throws -> String {
        let v = variant(name)
        let out = dir ?? tempDir(name)
        try write(files(v), to: out)
        if v.rawYAML == nil || name == "escape-absolute" {
            for d in v.datasets { try copyDataset(try generated(d), to: out + "/" + d.path) }
        }
        return out
    }

    static func copyDataset(_ from: String, to: String) throws {
        try FileManager.default.createDirectory(atPath: (to as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        if FileManager.default.fileExists(atPath: to) { try FileManager.default.removeItem(atPath: to) }
        try FileManager.default.copyItem(atPath: from, toPath: to)
    }

    static func grade(_ dir: String, rubric: Rubric = smallRubric, strict: Bool = false,
                      auditor: any DatasetAuditor = AuditLibraryAuditor()) -> SubmissionGrade {
        Grader.grade(directory: dir, options: GradingOptions(rubric: rubric, auditor: auditor, strict: strict))
    }
}
