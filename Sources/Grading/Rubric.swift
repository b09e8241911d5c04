import Foundation
import Yams
import YAMLInput

/// How far a reported number may be from the recomputed one: max(absolute, relative × |computed|).
public struct Tolerance: Sendable, Equatable {
    public var absolute: Double
    public var relative: Double
    public init(absolute: Double, relative: Double) { self.absolute = absolute; self.relative = relative }

    public func allowance(for computed: Double) -> Double { max(absolute, relative * abs(computed)) }

    public func agrees(reported: Double, computed: Double) -> Bool {
        abs(reported - computed) <= allowance(for: computed) + 1e-12 * max(1, abs(computed))
    }
}

/// Resampling settings of every bootstrap of a rubric.
public struct BootstrapSettings: Sendable, Equatable {
    public var resamples: Int = 2000
    public var confidence: Double = 0.95
    public var seed: UInt64 = 1
    public init(resamples: Int = 2000, confidence: Double = 0.95, seed: UInt64 = 1) {
        self.resamples = resamples; self.confidence = confidence; self.seed = seed
    }
}

/// What a model bound to a role must be; an unmet constraint fails the exercise's checks (with the reason).
public struct ModelConstraints: Sendable, Equatable {
    /// Allowed randomization levels (none, light, full); nil = any.
    public var randomization: [String]?
    /// Allowed training data (synthetic, real); nil = any.
    public var trainedOn: [String]?
    /// Allowed pre-training (none, external, synthetic, real); nil = any.
    public var pretraining: [String]?

    public init(randomization: [String]? = nil, trainedOn: [String]? = nil, pretraining: [String]? = nil) {
        self.randomization = randomization; self.trainedOn = trainedOn; self.pretraining = pretraining
    }

    public var isEmpty: Bool { randomization == nil && trainedOn == nil && pretraining == nil }

    public var description: String {
        var parts: [String] = []
        func show(_ n: String, _ v: [String]?) { if let v { parts.append("\(n): \(v.count == 1 ? v[0] : "[" + v.joined(separator: ", ") + "]")") } }
        show("randomization", randomization); show("trained_on", trainedOn); show("pretraining", pretraining)
        return "{" + parts.joined(separator: ", ") + "}"
    }
}

public struct RoleSpec: Sendable, Equatable {
    public var name: String
    public var kind: MetricKind.RoleKind
    public var constraints: ModelConstraints
}

public struct RubricExercise: Sendable, Equatable {
    public var id: String
    public var title: String
    public var roles: [RoleSpec]
    /// Graded for every submission, attempted or not (e.g. checks over all datasets).
    public var always: Bool
    public func role(_ name: String) -> RoleSpec? { roles.first { $0.name == name } }
}

public struct RubricCheck: Sendable, Equatable {
    public var id: String
    public var exercise: String
    public var title: String
    public var metric: MetricKind
    public var comparator: Comparator
    public var threshold: Threshold
    /// The seed's expected range, reported (a value outside it is noted, not failed).
    public var expected: ClosedRange<Double>?
    public var required: Bool
    public var tolerance: Tolerance
    public var test: StatTest?
    public var alpha: Double?
    /// Test set of accuracy metrics: real or synthetic.
    public var testSet: String
    /// Time metrics: count the pre-training model's training time in the fine-tuned model's.
    public var includePretraining: Bool
    /// The student must state this number (reported) for the check to pass.
    public var requireReported: Bool
    /// frames_per_hour: the bench must have measured at least this image size.
    public var requireImage: (width: Int, height: Int)?
    public var line: Int

    public static func == (a: RubricCheck, b: RubricCheck) -> Bool {
        a.id == b.id && a.exercise == b.exercise && a.metric == b.metric && a.comparator == b.comparator
            && a.threshold == b.threshold && a.expected == b.expected && a.required == b.required && a.tolerance == b.tolerance
            && a.test == b.test && a.alpha == b.alpha && a.testSet == b.testSet && a.includePretraining == b.includePretraining
            && a.requireReported == b.requireReported && a.requireImage?.width == b.requireImage?.width
            && a.requireImage?.height == b.requireImage?.height
    }

    public var thresholdText: String {
        switch threshold {
        case .value(let v): return "\(comparator.rawValue) \(GradeFormat.number(v))"
        case .range(let lo, let hi): return "\(GradeFormat.number(lo))–\(GradeFormat.number(hi))"
        }
    }
}

/// A grading rubric: exercises with the roles they read, and checks with thresholds and tests.
public struct Rubric: Sendable {
    public var id: String
    public var title: String
    public var file: String
    public var accuracy: AccuracyDefinition
    public var tolerance: Tolerance
    public var bootstrap: BootstrapSettings
    public var exercises: [RubricExercise]
    public var checks: [RubricCheck]
    /// Exercises whose absence fails their required checks; others are "not attempted".
    public var requiredExercises: Set<String>

    public func exercise(_ id: String) -> RubricExercise? { exercises.first { $0.id == id } }
    public func checks(of exercise: String) -> [RubricCheck] { checks.filter { $0.exercise == exercise } }

    /// Loads and validates a rubric file (size-limited, YAML bounded); errors name the file, line, column and field.
    public static func load(path: String, limits: GradingLimits = .standard) throws -> Rubric {
        let text = try BoundedRead.text(path, limit: limits.yamlBytes, what: "rubric")
        return try parse(yaml: text, file: path, limits: limits)
    }

    public static func parse(yaml: String, file: String, limits: GradingLimits = .standard) throws -> Rubric {
        let root = try SafeYAML.compose(yaml, file: file, limits: limits.yaml)
        return try RubricReader(y: YAMLFields(file: file)).read(root, file: file)
    }

    /// The built-in chapter 4 rubric (identical to fixtures/rubrics/chapter4.yaml).
    public static func chapter4() -> Rubric {
        // The text is part of the binary and tested; it always parses.
        try! parse(yaml: chapter4YAML, file: "<built-in chapter4 rubric>")
    }
}

struct RubricReader {
    let y: YAMLFields

    func read(_ root: Node, file: String) throws -> Rubric {
        let top = try y.mapping(root, "", allowed: ["rubric", "title", "version", "source", "accuracy", "tolerance",
                                                     "bootstrap", "required_exercises", "exercises", "checks"])
        let id = try y.identifier(try y.require(top, "rubric", in: root, ""), "rubric")
        let title = try y.lookup(top, "title").map { try y.string($0, "title") } ?? id
        if let v = y.lookup(top, "version") { _ = try y.int(v, "version", min: 1, max: 1) }
        if let v = y.lookup(top, "source") { _ = try y.string(v, "source") }

        var accuracy = AccuracyDefinition()
        if let a = y.lookup(top, "accuracy") {
            let m = try y.mapping(a, "accuracy", allowed: ["statistic", "iou_type"])
            if let s = y.lookup(m, "statistic") {
                accuracy.statistic = .init(rawValue: try y.oneOf(s, "accuracy.statistic", AccuracyDefinition.Statistic.allCases.map(\.rawValue)))!
            }
            if let t = y.lookup(m, "iou_type") { accuracy.iouType = try y.oneOf(t, "accuracy.iou_type", ["bbox", "segm"]) }
        }
        var tolerance = Tolerance(absolute: 0.5, relative: 0.01)
        if let t = y.lookup(top, "tolerance") { tolerance = try readTolerance(t, "tolerance", base: tolerance) }
        var bootstrap = BootstrapSettings()
        if let b = y.lookup(top, "bootstrap") {
            let m = try y.mapping(b, "bootstrap", allowed: ["resamples", "confidence", "seed"])
            if let v = y.lookup(m, "resamples") { bootstrap.resamples = try y.int(v, "bootstrap.resamples", min: 99, max: 1_000_000) }
            if let v = y.lookup(m, "confidence") {
                bootstrap.confidence = try y.number(v, "bootstrap.confidence")
                if !(bootstrap.confidence > 0.5 && bootstrap.confidence < 1) { throw y.fail(v, "bootstrap.confidence", "must be in (0.5, 1)") }
            }
            if let v = y.lookup(m, "seed") { bootstrap.seed = UInt64(try y.int(v, "bootstrap.seed", min: 0)) }
        }

        let exNode = try y.require(top, "exercises", in: root, "")
        var exercises: [RubricExercise] = []
        for (key, keyNode, value) in try y.mapping(exNode, "exercises") {
            let f = "exercises.\(key)"
            _ = try y.identifier(keyNode, f)
            let m = try y.mapping(value, f, allowed: ["title", "roles", "always"])
            let title = try y.lookup(m, "title").map { try y.string($0, f + ".title") } ?? key
            let always = try y.lookup(m, "always").map { try y.bool($0, f + ".always") } ?? false
            var roles: [RoleSpec] = []
            if let r = y.lookup(m, "roles") {
                for (name, nameNode, spec) in try y.mapping(r, f + ".roles") {
                    _ = try y.identifier(nameNode, f + ".roles." + name)
                    roles.append(try readRole(name, spec, f + ".roles." + name))
                }
            }
            if always && !roles.isEmpty { throw y.fail(value, f + ".roles", "an exercise graded always cannot have roles") }
            exercises.append(RubricExercise(id: key, title: title, roles: roles, always: always))
        }
        if exercises.isEmpty { throw y.fail(exNode, "exercises", "no exercise") }

        var required = Set(exercises.map(\.id))
        if let r = y.lookup(top, "required_exercises") {
            required = []
            for (i, n) in try y.sequence(r, "required_exercises").enumerated() {
                let e = try y.string(n, "required_exercises[\(i)]")
                guard exercises.contains(where: { $0.id == e }) else { throw y.fail(n, "required_exercises[\(i)]", "names no exercise") }
                required.insert(e)
            }
        }

        let checksNode = try y.require(top, "checks", in: root, "")
        var checks: [RubricCheck] = []
        for (i, c) in try y.sequence(checksNode, "checks").enumerated() {
            let check = try readCheck(c, "checks[\(i)]", exercises: exercises, tolerance: tolerance)
            if checks.contains(where: { $0.id == check.id }) { throw y.fail(c, "checks[\(i)].id", "duplicate check id '\(check.id)'") }
            checks.append(check)
        }
        if checks.isEmpty { throw y.fail(checksNode, "checks", "no check") }
        return Rubric(id: id, title: title, file: y.file, accuracy: accuracy, tolerance: tolerance, bootstrap: bootstrap,
                      exercises: exercises, checks: checks, requiredExercises: required)
    }

    func readTolerance(_ node: Node, _ f: String, base: Tolerance) throws -> Tolerance {
        let m = try y.mapping(node, f, allowed: ["absolute", "relative"])
        var t = base
        if let a = y.lookup(m, "absolute") {
            t.absolute = try y.number(a, f + ".absolute")
            if t.absolute < 0 { throw y.fail(a, f + ".absolute", "must be >= 0") }
        }
        if let r = y.lookup(m, "relative") {
            t.relative = try y.number(r, f + ".relative")
            if t.relative < 0 || t.relative > 1 { throw y.fail(r, f + ".relative", "must be in [0, 1]") }
        }
        return t
    }

    func readRole(_ name: String, _ spec: Node, _ f: String) throws -> RoleSpec {
        let kinds = ["model", "dataset", "bench"]
        if case .scalar = spec {
            let k = try y.oneOf(spec, f, kinds)
            return RoleSpec(name: name, kind: .init(rawValue: k)!, constraints: ModelConstraints())
        }
        let m = try y.mapping(spec, f, allowed: Set(kinds))
        guard m.count == 1 else { throw y.fail(spec, f, "expected one kind: model, dataset or bench") }
        let (kindName, _, body) = m[0]
        let kind = MetricKind.RoleKind(rawValue: kindName)!
        if kind != .model {
            if !y.isNull(body) { throw y.fail(body, f + "." + kindName, "only model roles take constraints") }
            return RoleSpec(name: name, kind: kind, constraints: ModelConstraints())
        }
        var c = ModelConstraints()
        if !y.isNull(body) {
            let cm = try y.mapping(body, f + ".model", allowed: ["randomization", "trained_on", "pretraining"])
            func list(_ key: String, _ values: [String]) throws -> [String]? {
                guard let n = y.lookup(cm, key) else { return nil }
                let field = f + ".model." + key
                if case .sequence(let s) = n {
                    if s.isEmpty { throw y.fail(n, field, "empty list") }
                    return try s.map { try y.oneOf($0, field, values) }
                }
                return [try y.oneOf(n, field, values)]
            }
            c.randomization = try list("randomization", ["none", "light", "full"])
            c.trainedOn = try list("trained_on", ["synthetic", "real"])
            c.pretraining = try list("pretraining", ["none", "external", "synthetic", "real"])
        }
        return RoleSpec(name: name, kind: .model, constraints: c)
    }

    func readCheck(_ node: Node, _ f: String, exercises: [RubricExercise], tolerance: Tolerance) throws -> RubricCheck {
        let m = try y.mapping(node, f, allowed: ["id", "exercise", "title", "metric", "comparator", "threshold", "expected",
                                                  "required", "tolerance", "test", "alpha", "test_set", "include_pretraining",
                                                  "require_reported", "require_image"])
        let idNode = try y.require(m, "id", in: node, f)
        let id = try y.identifier(idNode, f + ".id")
        let exNode = try y.require(m, "exercise", in: node, f)
        let exId = try y.string(exNode, f + ".exercise")
        guard let exercise = exercises.first(where: { $0.id == exId }) else {
            throw y.fail(exNode, f + ".exercise", "'\(exId)' is not an exercise of this rubric")
        }
        let title = try y.lookup(m, "title").map { try y.string($0, f + ".title") } ?? id
        let metricNode = try y.require(m, "metric", in: node, f)
        let metric = MetricKind(rawValue: try y.oneOf(metricNode, f + ".metric", MetricKind.allCases.map(\.rawValue)))!
        // The exercise must declare the roles the metric reads, with the right kind.
        for (role, kind) in metric.roles {
            guard let spec = exercise.role(role) else {
                throw y.fail(metricNode, f + ".metric", "\(metric.rawValue) reads role '\(role)' (\(kind.rawValue)), which exercise '\(exId)' does not declare")
            }
            if spec.kind != kind {
                throw y.fail(metricNode, f + ".metric", "\(metric.rawValue) reads role '\(role)' as a \(kind.rawValue); exercise '\(exId)' declares a \(spec.kind.rawValue)")
            }
        }
        if metric == .accuracySuperiority && !exercise.roles.contains(where: { $0.kind == .model && $0.name != "candidate" }) {
            throw y.fail(metricNode, f + ".metric", "accuracy_superiority needs at least one model role besides 'candidate'")
        }
        if metric == .seedBugs && !exercise.always {
            throw y.fail(metricNode, f + ".metric", "seed_bugs reads every dataset: put it in an exercise with `always: true`")
        }

        let cmpNode = try y.require(m, "comparator", in: node, f)
        let comparator = Comparator(rawValue: try y.oneOf(cmpNode, f + ".comparator", Comparator.allCases.map(\.rawValue)))!
        let tNode = try y.require(m, "threshold", in: node, f)
        let threshold: Threshold
        if comparator == .between {
            let s = try y.sequence(tNode, f + ".threshold")
            guard s.count == 2 else { throw y.fail(tNode, f + ".threshold", "`between` needs [low, high]") }
            let lo = try y.number(s[0], f + ".threshold[0]"), hi = try y.number(s[1], f + ".threshold[1]")
            if lo > hi { throw y.fail(tNode, f + ".threshold", "low \(lo) is above high \(hi)") }
            threshold = .range(lo, hi)
        } else {
            if case .sequence = tNode { throw y.fail(tNode, f + ".threshold", "a range needs comparator `between`") }
            threshold = .value(try y.number(tNode, f + ".threshold"))
        }
        var expected: ClosedRange<Double>?
        if let e = y.lookup(m, "expected") {
            let s = try y.sequence(e, f + ".expected")
            guard s.count == 2 else { throw y.fail(e, f + ".expected", "expected [low, high]") }
            let lo = try y.number(s[0], f + ".expected[0]"), hi = try y.number(s[1], f + ".expected[1]")
            if lo > hi { throw y.fail(e, f + ".expected", "low \(lo) is above high \(hi)") }
            expected = lo...hi
        }
        let required = try y.lookup(m, "required").map { try y.bool($0, f + ".required") } ?? true
        let tol = try y.lookup(m, "tolerance").map { try readTolerance($0, f + ".tolerance", base: tolerance) } ?? tolerance

        var test: StatTest?
        if let t = y.lookup(m, "test") {
            let allowed = metric.allowedTests
            let name = try y.oneOf(t, f + ".test", [StatTest.pairedBootstrap.rawValue, StatTest.bootstrapCI.rawValue])
            let st = StatTest(rawValue: name)!
            if !allowed.contains(st) {
                throw y.fail(t, f + ".test", "\(name) does not apply to \(metric.rawValue)"
                             + (allowed.isEmpty ? "" : " (allowed: \(allowed.map(\.rawValue).joined(separator: ", ")))"))
            }
            test = st
        }
        if metric == .accuracySuperiority && test != .pairedBootstrap {
            throw y.fail(node, f + ".test", "accuracy_superiority needs `test: paired_bootstrap` and an alpha")
        }
        var alpha: Double?
        if let a = y.lookup(m, "alpha") {
            let v = try y.number(a, f + ".alpha")
            if !(v > 0 && v < 0.5) { throw y.fail(a, f + ".alpha", "must be in (0, 0.5)") }
            if test != .pairedBootstrap { throw y.fail(a, f + ".alpha", "alpha needs `test: paired_bootstrap`") }
            alpha = v
        }
        if test == .pairedBootstrap && alpha == nil { throw y.fail(node, f + ".alpha", "missing (needed by paired_bootstrap)") }

        let accuracyMetrics: Set<MetricKind> = [.accuracy, .accuracyGain, .accuracySuperiority, .accuracyLoss]
        var testSet = "real"
        if let t = y.lookup(m, "test_set") {
            if !accuracyMetrics.contains(metric) { throw y.fail(t, f + ".test_set", "only accuracy metrics take a test set") }
            testSet = try y.oneOf(t, f + ".test_set", ["real", "synthetic"])
        }
        var includePretraining = true
        if let v = y.lookup(m, "include_pretraining") {
            if metric != .timeSaving && metric != .speedup { throw y.fail(v, f + ".include_pretraining", "only time_saving and speedup take it") }
            includePretraining = try y.bool(v, f + ".include_pretraining")
        }
        let requireReported = try y.lookup(m, "require_reported").map { try y.bool($0, f + ".require_reported") } ?? false
        var requireImage: (Int, Int)?
        if let v = y.lookup(m, "require_image") {
            if metric != .framesPerHour { throw y.fail(v, f + ".require_image", "only frames_per_hour takes it") }
            let s = try y.sequence(v, f + ".require_image")
            guard s.count == 2 else { throw y.fail(v, f + ".require_image", "expected [width, height]") }
            requireImage = (try y.int(s[0], f + ".require_image[0]", min: 1, max: 1 << 15),
                            try y.int(s[1], f + ".require_image[1]", min: 1, max: 1 << 15))
        }
        return RubricCheck(id: id, exercise: exId, title: title, metric: metric, comparator: comparator, threshold: threshold,
                           expected: expected, required: required, tolerance: tol, test: test, alpha: alpha, testSet: testSet,
                           includePretraining: includePretraining, requireReported: requireReported,
                           requireImage: requireImage, line: node.mark?.line ?? 0)
    }
}
