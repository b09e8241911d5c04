import Foundation
import Support
import Yams
import YAMLInput

/// One trained model of a submission, as the student describes it.
public struct SubmittedModel: Sendable, Equatable {
    public var id: String
    /// none | light | full: the randomization of its synthetic training data (nil for real-only training).
    public var randomization: String?
    /// synthetic | real: the data of this model's own training run (for a fine-tuned model: the fine-tuning data).
    public var trainedOn: String
    /// What its weights started from: `none`, an external name (e.g. `imagenet`), or another model's id.
    public var pretrainedOn: String
    /// Key of `datasets` it was trained on (synthetic training data), if any.
    public var dataset: String?
    /// Test set (real | synthetic) → COCO results file (absolute path after resolution).
    public var detections: [String: String]
    /// Training-log CSV (absolute path after resolution).
    public var trainingLog: String?
    /// Test set → accuracy the student reports, in points.
    public var reportedAccuracy: [String: Double]
    /// Where the model's entry starts in submission.yaml.
    public var line: Int
}

/// A parsed `submission.yaml` with every path resolved inside the submission directory.
public struct Submission: Sendable {
    public var directory: String
    public var file: String
    public var student: String
    /// Exercise id → role → bound id (model, dataset or bench key), as written.
    public var exercises: [String: [String: String]]
    public var exerciseOrder: [String]
    /// Key → dataset directory.
    public var datasets: [String: String]
    public var datasetOrder: [String]
    /// Key → bench result file.
    public var bench: [String: String]
    /// real | synthetic → COCO ground-truth file.
    public var testSets: [String: String]
    public var models: [String: SubmittedModel]
    public var modelOrder: [String]
    /// Check id → number the student reports.
    public var reported: [String: Double]
    /// Field → (line, column) of entries, for messages raised later.
    var marks: [String: (Int, Int)]

    public static let fileName = "submission.yaml"

    /// Loads `DIR/submission.yaml`, checks it against the rubric (exercises, roles, reported check ids) and
    /// resolves every path inside `DIR` (absolute paths, `..` and symlinks leading out are refused).
    public static func load(directory: String, rubric: Rubric, limits: GradingLimits = .standard) throws -> Submission {
        let file = (directory as NSString).appendingPathComponent(fileName)
        guard FileManager.default.fileExists(atPath: file) else {
            throw InputError(file: file, message: "no \(fileName) in the submission directory")
        }
        let text = try BoundedRead.text(file, limit: limits.yamlBytes, what: fileName)
        let root = try SafeYAML.compose(text, file: file, limits: limits.yaml)
        return try SubmissionReader(y: YAMLFields(file: file),
                                    files: SubmissionFiles(root: directory, manifestFile: file, limits: limits),
                                    rubric: rubric).read(root)
    }

    /// `pretrained_on` values meaning "no pre-training" (they win over a model of the same id).
    public static let noPretraining: Set<String> = ["none", "scratch"]

    /// The model of this submission that `m` starts from, if any.
    public func pretrainedModel(of m: SubmittedModel) -> SubmittedModel? {
        Self.noPretraining.contains(m.pretrainedOn) ? nil : models[m.pretrainedOn]
    }

    /// Pre-training of a model: none, external, or the training data of the model it starts from.
    public func pretraining(of m: SubmittedModel) -> String {
        if let p = pretrainedModel(of: m) { return p.trainedOn }
        return Self.noPretraining.contains(m.pretrainedOn) ? "none" : "external"
    }

    /// Reasons `m` does not meet `c` (empty when it does).
    public func violations(of c: ModelConstraints, by m: SubmittedModel) -> [String] {
        var out: [String] = []
        if let r = c.randomization, !r.contains(m.randomization ?? "unstated") {
            out.append("randomization is \(m.randomization ?? "not stated"), expected \(r.joined(separator: " or "))")
        }
        if let t = c.trainedOn, !t.contains(m.trainedOn) {
            out.append("trained on \(m.trainedOn), expected \(t.joined(separator: " or "))")
        }
        if let p = c.pretraining, !p.contains(pretraining(of: m)) {
            out.append("pre-training is \(pretraining(of: m)) (pretrained_on: \(m.pretrainedOn)), expected \(p.joined(separator: " or "))")
        }
        return out
    }

    func mark(_ field: String) -> (Int, Int) { marks[field] ?? (0, 0) }
}

struct SubmissionReader {
    let y: YAMLFields
    let files: SubmissionFiles
    let rubric: Rubric

    func read(_ root: Node) throws -> Submission {
        let top = try y.mapping(root, "", allowed: ["student", "exercises", "datasets", "bench", "test_sets", "models",
                                                     "reported", "notes"])
        var marks: [String: (Int, Int)] = [:]
        let student = try y.lookup(top, "student").map { try y.string($0, "student") }
            ?? (files.root as NSString).lastPathComponent
        if let n = y.lookup(top, "notes") { _ = try y.string(n, "notes") }

        // Collections first, so exercises can refer to them.
        var datasets: [String: String] = [:], datasetOrder: [String] = []
        if let d = y.lookup(top, "datasets") {
            for (key, kn, v) in try y.mapping(d, "datasets") {
                let f = "datasets.\(key)"
                _ = try y.identifier(kn, f)
                datasets[key] = try files.resolve(try y.string(v, f), field: f, mark: y.mark(v), directory: true)
                datasetOrder.append(key); marks[f] = y.mark(v)
            }
        }
        var bench: [String: String] = [:]
        if let b = y.lookup(top, "bench") {
            for (key, kn, v) in try y.mapping(b, "bench") {
                let f = "bench.\(key)"
                _ = try y.identifier(kn, f)
                bench[key] = try files.resolve(try y.string(v, f), field: f, mark: y.mark(v)); marks[f] = y.mark(v)
            }
        }
        var testSets: [String: String] = [:]
        if let t = y.lookup(top, "test_sets") {
            for (key, _, v) in try y.mapping(t, "test_sets", allowed: ["real", "synthetic"]) {
                let f = "test_sets.\(key)"
                let rel = try y.string(v, f)
                var path = try files.resolve(rel, field: f, mark: y.mark(v), directory: isDirectory(rel))
                if isDirectory(rel) {
                    path = try files.resolve((rel as NSString).appendingPathComponent("annotations.json"), field: f, mark: y.mark(v))
                }
                testSets[key] = path; marks[f] = y.mark(v)
            }
        }
        var models: [String: SubmittedModel] = [:], modelOrder: [String] = []
        if let ms = y.lookup(top, "models") {
            for (key, kn, v) in try y.mapping(ms, "models") {
                let f = "models.\(key)"
                _ = try y.identifier(kn, f)
                models[key] = try readModel(key, v, f, datasets: datasets, testSets: testSets)
                modelOrder.append(key); marks[f] = y.mark(v)
            }
            for id in modelOrder {
                let m = models[id]!
                if m.pretrainedOn == id && !Submission.noPretraining.contains(id) {
                    throw InputError(file: y.file, line: m.line, field: "models.\(id).pretrained_on", message: "a model cannot be pre-trained on itself")
                }
                // Pre-training chains must end (no cycle).
                var seen: Set<String> = [id]
                var cur = m
                while !Submission.noPretraining.contains(cur.pretrainedOn), let next = models[cur.pretrainedOn] {
                    if !seen.insert(next.id).inserted {
                        throw InputError(file: y.file, line: m.line, field: "models.\(id).pretrained_on", message: "pre-training cycle through '\(next.id)'")
                    }
                    cur = next
                }
            }
        }

        // Exercises: a list of ids, or a mapping id → {role: id}.
        let exNode = try y.require(top, "exercises", in: root, "")
        var exercises: [String: [String: String]] = [:], order: [String] = []
        var bindingNodes: [String: [String: Node]] = [:]
        switch exNode {
        case .sequence(let s):
            for (i, n) in s.enumerated() {
                let id = try y.string(n, "exercises[\(i)]")
                try checkExercise(id, n, "exercises[\(i)]")
                if exercises[id] != nil { throw y.fail(n, "exercises[\(i)]", "'\(id)' listed twice") }
                exercises[id] = [:]; order.append(id); marks["exercises.\(id)"] = y.mark(n)
            }
        case .mapping:
            for (id, kn, v) in try y.mapping(exNode, "exercises") {
                let f = "exercises.\(id)"
                try checkExercise(id, kn, f)
                var roles: [String: String] = [:]
                var nodes: [String: Node] = [:]
                if !y.isNull(v) {
                    let ex = rubric.exercise(id)!
                    for (role, rn, target) in try y.mapping(v, f) {
                        guard let spec = ex.role(role) else {
                            throw y.fail(rn, "\(f).\(role)", "exercise '\(id)' has no role '\(role)' (roles: \(ex.roles.map(\.name).joined(separator: ", ")))")
                        }
                        let t = try y.string(target, "\(f).\(role)")
                        let known: Bool
                        switch spec.kind {
                        case .model: known = models[t] != nil
                        case .dataset: known = datasets[t] != nil
                        case .bench: known = bench[t] != nil
                        }
                        if !known { throw y.fail(target, "\(f).\(role)", "names no \(spec.kind.rawValue) '\(t)' of this submission") }
                        roles[role] = t; nodes[role] = target
                    }
                }
                exercises[id] = roles; bindingNodes[id] = nodes; order.append(id); marks[f] = y.mark(kn)
            }
        default:
            throw y.fail(exNode, "exercises", "expected a list of exercise ids or a mapping of exercise → roles")
        }

        // Unbound roles: the one object of that kind meeting the role's constraints.
        var sub = Submission(directory: files.root, file: y.file, student: student, exercises: exercises, exerciseOrder: order,
                             datasets: datasets, datasetOrder: datasetOrder, bench: bench, testSets: testSets, models: models,
                             modelOrder: modelOrder, reported: [:], marks: marks)
        for id in order {
            let ex = rubric.exercise(id)!
            for spec in ex.roles where sub.exercises[id]![spec.name] == nil {
                let candidates: [String]
                switch spec.kind {
                case .model: candidates = modelOrder.filter { sub.violations(of: spec.constraints, by: models[$0]!).isEmpty }
                case .dataset: candidates = datasetOrder
                case .bench: candidates = bench.keys.sorted()
                }
                let f = "exercises.\(id).\(spec.name)"
                let (line, column) = marks["exercises.\(id)"] ?? (0, 0)
                if candidates.count == 1 {
                    sub.exercises[id]![spec.name] = candidates[0]
                } else {
                    let what = spec.kind == .model && !spec.constraints.isEmpty
                        ? "models meet \(spec.constraints.description)" : "\(spec.kind.rawValue)s are given"
                    throw InputError(file: y.file, line: line, column: column, field: f,
                                            message: "not given, and \(candidates.count) \(what) (name one)")
                }
            }
        }

        if let r = y.lookup(top, "reported") {
            for (key, kn, v) in try y.mapping(r, "reported") {
                guard let check = rubric.checks.first(where: { $0.id == key }) else {
                    throw y.fail(kn, "reported.\(key)", "no check '\(key)' in rubric \(rubric.id)")
                }
                _ = check
                sub.reported[key] = try y.number(v, "reported.\(key)")
                sub.marks["reported.\(key)"] = y.mark(v)
            }
        }
        return sub
    }

    func isDirectory(_ rel: String) -> Bool {
        var isDir: ObjCBool = false
        let p = (files.root as NSString).appendingPathComponent(rel)
        return !rel.hasPrefix("/") && FileManager.default.fileExists(atPath: p, isDirectory: &isDir) && isDir.boolValue
    }

    func checkExercise(_ id: String, _ node: Node, _ f: String) throws {
        guard let ex = rubric.exercise(id) else {
            throw y.fail(node, f, "'\(id)' is not an exercise of rubric \(rubric.id) (exercises: \(rubric.exercises.filter { !$0.always }.map(\.id).joined(separator: ", ")))")
        }
        if ex.always { throw y.fail(node, f, "'\(id)' is graded for every submission; do not list it") }
    }

    func readModel(_ id: String, _ node: Node, _ f: String, datasets: [String: String], testSets: [String: String]) throws -> SubmittedModel {
        let m = try y.mapping(node, f, allowed: ["randomization", "trained_on", "pretrained_on", "dataset", "detections",
                                                  "training_log", "reported_accuracy", "notes"])
        let trainedOn = try y.oneOf(try y.require(m, "trained_on", in: node, f), f + ".trained_on", ["synthetic", "real"])
        var randomization: String?
        if let r = y.lookup(m, "randomization") { randomization = try y.oneOf(r, f + ".randomization", ["none", "light", "full"]) }
        if trainedOn == "synthetic" && randomization == nil {
            throw y.fail(node, f + ".randomization", "missing (required for a model trained on synthetic data)")
        }
        let pretrainedOn = try y.lookup(m, "pretrained_on").map { try y.identifier($0, f + ".pretrained_on") } ?? "none"
        var dataset: String?
        if let d = y.lookup(m, "dataset") {
            let key = try y.string(d, f + ".dataset")
            guard datasets[key] != nil else { throw y.fail(d, f + ".dataset", "names no dataset '\(key)' of this submission") }
            dataset = key
        }
        var detections: [String: String] = [:]
        if let d = y.lookup(m, "detections") {
            for (set, _, v) in try y.mapping(d, f + ".detections", allowed: ["real", "synthetic"]) {
                let field = "\(f).detections.\(set)"
                if testSets[set] == nil { throw y.fail(v, field, "no test set '\(set)' in test_sets") }
                detections[set] = try files.resolve(try y.string(v, field), field: field, mark: y.mark(v))
            }
        }
        var log: String?
        if let l = y.lookup(m, "training_log") {
            log = try files.resolve(try y.string(l, f + ".training_log"), field: f + ".training_log", mark: y.mark(l))
        }
        var reported: [String: Double] = [:]
        if let r = y.lookup(m, "reported_accuracy") {
            for (set, _, v) in try y.mapping(r, f + ".reported_accuracy", allowed: ["real", "synthetic"]) {
                reported[set] = try y.number(v, "\(f).reported_accuracy.\(set)")
            }
        }
        if let n = y.lookup(m, "notes") { _ = try y.string(n, f + ".notes") }
        return SubmittedModel(id: id, randomization: randomization, trainedOn: trainedOn, pretrainedOn: pretrainedOn,
                              dataset: dataset, detections: detections, trainingLog: log, reportedAccuracy: reported,
                              line: node.mark?.line ?? 0)
    }
}
