import COCO
import Foundation
import Stats
import Support

public enum Verdict: String, Sendable {
    case pass, fail
    /// The exercise is not among those the submission attempts (and the rubric does not require it).
    case notAttempted = "not_attempted"
    /// The metric needs a step the grader was not given (the audit implementation).
    case unavailable
}

/// The statistical part of a check's outcome.
public struct CheckStatistics: Sendable, Equatable {
    public struct Comparison: Sendable, Equatable {
        public var against: String
        /// Points.
        public var estimate: Double
        public var low: Double
        public var high: Double
        public var pValue: Double
        public var adjustedPValue: Double
        public var significant: Bool
    }
    public var test: StatTest
    public var resamples: Int
    public var confidence: Double
    public var alpha: Double?
    /// Interval of the check's value (bootstrap_ci), in the check's unit.
    public var low: Double?
    public var high: Double?
    public var comparisons: [Comparison]
}

public struct CheckResult: Sendable {
    public var check: RubricCheck
    public var verdict: Verdict
    /// The recomputed value, in the metric's unit (nil when it cannot be computed; `reason` says why).
    public var computed: Double?
    public var reported: Double?
    /// The reported value differs from the computed one by more than the check's tolerance.
    public var discrepancy: Bool
    /// Why the verdict is not pass (empty on pass).
    public var reason: String
    public var evidence: [String]
    public var statistics: CheckStatistics?
}

/// A model's recomputed accuracy on one test set, against what the student reports.
public struct ModelAccuracy: Sendable, Equatable {
    public var model: String
    public var testSet: String
    /// Points.
    public var computed: Double
    public var reported: Double?
    public var discrepancy: Bool
    public var detections: Int
    public var images: Int
}

public struct TrainingCurve: Sendable, Equatable {
    public var model: String
    public var log: TrainingLog
}

/// One submission graded against a rubric.
public struct SubmissionGrade: Sendable {
    public enum Status: String, Sendable { case graded, malformed }
    public var directory: String
    public var name: String
    public var student: String
    public var rubric: String
    public var status: Status
    /// Set when malformed: names the file and field.
    public var error: String?
    public var checks: [CheckResult]
    public var accuracies: [ModelAccuracy]
    public var datasets: [DatasetFacts]
    public var bugs: [SeedBug]
    public var curves: [TrainingCurve]
    public var notes: [String]
    public var strict: Bool

    public var failedRequired: [CheckResult] { checks.filter { $0.check.required && $0.verdict == .fail } }
    public var discrepancies: Int { checks.filter(\.discrepancy).count + accuracies.filter(\.discrepancy).count }
    public func count(_ v: Verdict) -> Int { checks.filter { $0.verdict == v }.count }

    /// 0 every required check passes, 1 one fails (or, strict, a discrepancy), 2 malformed.
    public var exitCode: Int32 {
        if status == .malformed { return 2 }
        if !failedRequired.isEmpty { return 1 }
        if strict && discrepancies > 0 { return 1 }
        return 0
    }
}

public struct GradingOptions: Sendable {
    public var rubric: Rubric
    public var limits: GradingLimits
    public var auditor: any DatasetAuditor
    /// Discrepancies between reported and computed numbers fail the submission too.
    public var strict: Bool

    public init(rubric: Rubric, limits: GradingLimits = .standard, auditor: any DatasetAuditor = NoAuditor(), strict: Bool = false) {
        self.rubric = rubric; self.limits = limits; self.auditor = auditor; self.strict = strict
    }
}

public enum Grader {
    /// Grades one submission directory. Never throws: a malformed submission comes back with status
    /// `.malformed` and the message.
    public static func grade(directory: String, options: GradingOptions) -> SubmissionGrade {
        let name = (directory as NSString).lastPathComponent
        var g = SubmissionGrade(directory: directory, name: name, student: name, rubric: options.rubric.id, status: .graded,
                                error: nil, checks: [], accuracies: [], datasets: [], bugs: [], curves: [], notes: [],
                                strict: options.strict)
        do {
            let sub = try Submission.load(directory: directory, rubric: options.rubric, limits: options.limits)
            g.student = sub.student
            let ctx = Context(sub: sub, options: options)
            try ctx.prepare()
            for check in options.rubric.checks { g.checks.append(try ctx.evaluate(check)) }
            g.accuracies = try ctx.modelAccuracies()
            g.datasets = sub.datasetOrder.compactMap { ctx.datasets[$0] }
            g.bugs = g.datasets.flatMap(\.bugs)
            g.curves = try sub.modelOrder.compactMap { id in try ctx.log(id).map { TrainingCurve(model: id, log: $0) } }
            g.notes = ctx.notes
        } catch let e as InputError {
            g.status = .malformed; g.error = e.description; g.checks = []
        } catch {
            g.status = .malformed; g.error = "\(directory): \(error)"; g.checks = []
        }
        return g
    }

    /// Expands the command line's paths: a directory holding submission.yaml is one submission; a directory
    /// without one is a class, each subdirectory holding submission.yaml a submission (sorted by name).
    public static func expand(_ paths: [String]) -> (submissions: [String], classes: [String]) {
        var subs: [String] = [], classes: [String] = []
        for p in paths {
            let own = (p as NSString).appendingPathComponent(Submission.fileName)
            if FileManager.default.fileExists(atPath: own) || !FileIO.isDirectory(p) { subs.append(p); continue }
            let children = FileIO.listDirectory(p).map { (p as NSString).appendingPathComponent($0) }
                .filter { FileIO.isDirectory($0) && FileManager.default.fileExists(atPath: ($0 as NSString).appendingPathComponent(Submission.fileName)) }
            if children.isEmpty { subs.append(p) } else { classes.append(p); subs += children }
        }
        return (subs, classes)
    }
}

/// Everything one submission's checks read, loaded once.
final class Context {
    let sub: Submission
    let options: GradingOptions
    var rubric: Rubric { options.rubric }
    var datasets: [String: DatasetFacts] = [:]
    var groundTruths: [String: COCODataset] = [:]
    var evals: [String: (result: EvalResult, records: ImageRecords)] = [:]
    var logs: [String: TrainingLog] = [:]
    var benches: [String: BenchFacts] = [:]
    var notes: [String] = []

    init(sub: Submission, options: GradingOptions) { self.sub = sub; self.options = options }

    /// Inspects every dataset (the seed-bug check reads them all).
    func prepare() throws {
        for key in sub.datasetOrder {
            datasets[key] = try DatasetInspector.inspect(key: key, path: sub.datasets[key]!, submissionRoot: sub.directory,
                                                         limits: options.limits, auditor: options.auditor)
        }
    }

    func groundTruth(_ set: String) throws -> COCODataset? {
        if let g = groundTruths[set] { return g }
        guard let path = sub.testSets[set] else { return nil }
        try BoundedRead.check(path, limit: options.limits.cocoBytes, what: "ground truth", field: "test_sets.\(set)")
        do {
            let g = try COCODataset.load(path: path)
            groundTruths[set] = g
            return g
        } catch {
            throw InputError(file: path, field: "test_sets.\(set)", message: "\(error)")
        }
    }

    /// Recomputed evaluation of a model on a test set (nil when the model has no detections for it).
    func evaluation(_ model: String, _ set: String) throws -> (result: EvalResult, records: ImageRecords)? {
        let key = model + "\u{1}" + set
        if let e = evals[key] { return e }
        guard let m = sub.models[model], let dtPath = m.detections[set], let gt = try groundTruth(set) else { return nil }
        let field = "models.\(model).detections.\(set)"
        try BoundedRead.check(dtPath, limit: options.limits.cocoBytes, what: "detections", field: field)
        let dets: [COCODetection]
        do { dets = try COCOResults.load(path: dtPath, against: gt) }
        catch { throw InputError(file: dtPath, field: field, message: "\(error)") }
        let iou: IoUType = rubric.accuracy.iouType == "segm" ? .segm : .bbox
        let result: EvalResult
        do { result = try COCOEvaluator.evaluate(gt: gt, dt: dets, iouType: iou, keepImageEvaluations: true) }
        catch { throw InputError(file: dtPath, field: field, message: "\(error)") }
        let records = ImageRecords(result, accuracy: rubric.accuracy)
        let a = result.stats[rubric.accuracy.statsIndex], b = records.value()
        if abs(a - b) > 1e-9 && !(a < 0 && b < 0) {
            notes.append("\(model) on \(set): per-image resampling gives \(b), the evaluator \(a); intervals use the former")
        }
        evals[key] = (result, records)
        return (result, records)
    }

    /// Accuracy in points (nil: no detections; throws on unreadable files).
    func accuracy(_ model: String, _ set: String) throws -> Double? {
        guard let e = try evaluation(model, set) else { return nil }
        let v = e.result.stats[rubric.accuracy.statsIndex]
        return v < 0 ? nil : v * 100
    }

    func log(_ model: String) throws -> TrainingLog? {
        if let l = logs[model] { return l }
        guard let path = sub.models[model]?.trainingLog else { return nil }
        let l = try TrainingLog.load(path: path, limits: options.limits)
        logs[model] = l
        return l
    }

    func bench(_ key: String) throws -> BenchFacts {
        if let b = benches[key] { return b }
        let b = try BenchFacts.read(path: sub.bench[key]!, limits: options.limits, field: "bench.\(key)")
        benches[key] = b
        return b
    }

    func modelAccuracies() throws -> [ModelAccuracy] {
        var out: [ModelAccuracy] = []
        for id in sub.modelOrder {
            let m = sub.models[id]!
            for set in ["real", "synthetic"] where m.detections[set] != nil {
                guard let e = try evaluation(id, set) else { continue }
                let v = e.result.stats[rubric.accuracy.statsIndex]
                guard v >= 0 else { continue }
                let computed = v * 100
                let reported = m.reportedAccuracy[set]
                let disc = reported.map { !rubric.tolerance.agrees(reported: $0, computed: computed) } ?? false
                out.append(ModelAccuracy(model: id, testSet: set, computed: computed, reported: reported, discrepancy: disc,
                                         detections: e.result.detectionCount, images: e.result.imageIds.count))
            }
            for set in m.reportedAccuracy.keys.sorted() where m.detections[set] == nil {
                notes.append("\(id) reports an accuracy on the \(set) test set without detections for it: not checked")
            }
        }
        return out
    }

    // MARK: - Checks

    struct Outcome {
        var value: Double?
        var reason = ""
        var evidence: [String] = []
        var statistics: CheckStatistics?
        var testPassed = true
        var unavailable = false
    }

    func evaluate(_ check: RubricCheck) throws -> CheckResult {
        let ex = rubric.exercise(check.exercise)!
        let reported = sub.reported[check.id]
        func result(_ v: Verdict, _ reason: String, _ o: Outcome = Outcome()) -> CheckResult {
            var disc = false
            var evidence = o.evidence
            if let r = reported, let c = o.value, !check.tolerance.agrees(reported: r, computed: c) {
                disc = true
                evidence.append("reported \(GradeFormat.number(r)) differs from the recomputed \(GradeFormat.number(c)) by more than \(GradeFormat.number(check.tolerance.allowance(for: c)))")
            }
            return CheckResult(check: check, verdict: v, computed: o.value, reported: reported, discrepancy: disc,
                               reason: reason, evidence: evidence, statistics: o.statistics)
        }
        let attempted = ex.always || sub.exercises[check.exercise] != nil
        if !attempted {
            return rubric.requiredExercises.contains(check.exercise)
                ? result(.fail, "exercise \(check.exercise) not attempted (the rubric requires it)")
                : result(.notAttempted, "exercise \(check.exercise) not attempted")
        }
        // Models bound to the exercise's roles must meet the rubric's constraints.
        let bindings = sub.exercises[check.exercise] ?? [:]
        var problems: [String] = []
        for spec in ex.roles where spec.kind == .model {
            guard let id = bindings[spec.name], let m = sub.models[id] else { continue }
            for v in sub.violations(of: spec.constraints, by: m) { problems.append("role \(spec.name) → model '\(id)': \(v)") }
        }
        var o = try compute(check, ex: ex, bindings: bindings)
        if let e = check.expected, let v = o.value, !e.contains(v) {
            o.evidence.append("outside the chapter's expected range \(GradeFormat.number(e.lowerBound))–\(GradeFormat.number(e.upperBound))")
        }
        if o.unavailable { return result(.unavailable, o.reason, o) }
        if !problems.isEmpty { return result(.fail, problems.joined(separator: "; "), o) }
        guard let v = o.value else { return result(.fail, o.reason.isEmpty ? "cannot be computed" : o.reason, o) }
        if !o.reason.isEmpty { return result(.fail, o.reason, o) }
        if !check.comparator.holds(v, check.threshold) {
            return result(.fail, "\(GradeFormat.number(v)) \(check.metric.unit) is not \(check.thresholdText)", o)
        }
        if !o.testPassed { return result(.fail, "not statistically significant at α = \(GradeFormat.number(check.alpha ?? 0)) (Holm)", o) }
        if check.requireReported && reported == nil { return result(.fail, "not stated (reported.\(check.id) is missing)", o) }
        return result(.pass, "", o)
    }

    /// The value of a check's metric with its evidence (and interval or test where the check asks for one).
    func compute(_ check: RubricCheck, ex: RubricExercise, bindings: [String: String]) throws -> Outcome {
        switch check.metric {
        case .seedBugs:
            return seedBugs()
        case .framesPerHour:
            return try framesPerHour(check, bench: bindings["bench"]!)
        case .datasetEnvs, .datasetFrames, .datasetSeconds, .datasetSizeGB, .datasetValidationErrors, .datasetAuditFailures:
            return datasetMetric(check.metric, datasets[bindings["dataset"]!]!)
        case .accuracy, .accuracyGain, .accuracySuperiority, .accuracyLoss, .domainGap:
            return try accuracyMetric(check, ex: ex, bindings: bindings)
        case .timeSaving, .speedup:
            var o = Outcome()
            try timing(check, ft: bindings["fine_tuned"]!, scratch: bindings["scratch"]!, into: &o)
            return o
        case .curvePoints, .framesNeeded, .transferPresent:
            return try trainingMetric(check.metric, bindings: bindings)
        }
    }

    /// seed_bugs: the bugs found in every submitted dataset.
    func seedBugs() -> Outcome {
        var o = Outcome()
        let bugs = sub.datasetOrder.flatMap { datasets[$0]!.bugs }
        o.value = Double(bugs.count)
        o.evidence = bugs.map { "\($0.dataset): \($0.kind.title): \($0.evidence)" }
        if sub.datasetOrder.isEmpty { o.evidence.append("no dataset submitted") }
        else { o.evidence.append("datasets inspected: \(sub.datasetOrder.joined(separator: ", "))") }
        return o
    }

    /// frames_per_hour: the bench result's reference cell, and the image size the rubric requires.
    func framesPerHour(_ check: RubricCheck, bench key: String) throws -> Outcome {
        var o = Outcome()
        let b = try bench(key)
        o.value = b.framesPerHour
        o.evidence.append("\(key): \(GradeFormat.number(b.framesPerHour)) frames/h, median of the \(b.cell) (\(b.schema))")
        if let w = b.imageWidth, let h = b.imageHeight { o.evidence.append("measured at \(w)×\(h)") }
        if let build = b.build, build != "release" { o.evidence.append("build: \(build) (only release builds are representative)") }
        if let need = check.requireImage {
            if let w = b.imageWidth, let h = b.imageHeight {
                if w * h < need.width * need.height {
                    o.reason = "measured at \(w)×\(h), smaller than the required \(need.width)×\(need.height)"
                }
            } else {
                o.reason = "the bench result does not state its image size (the rubric requires \(need.width)×\(need.height))"
            }
        }
        return o
    }

    /// The dataset metrics, from the inspected dataset.
    func datasetMetric(_ metric: MetricKind, _ d: DatasetFacts) -> Outcome {
        var o = Outcome()
        switch metric {
        case .datasetEnvs:
            o.evidence.append(datasetLine(d))
            if let e = d.runEnvs { o.value = Double(e); o.evidence.append("manifest run.envs = \(e)") }
            else { o.reason = d.manifestPresent ? "manifest.json has no run.envs" : "no manifest.json" }

        case .datasetFrames:
            o.value = Double(d.framesOnDisk)
            o.evidence.append(datasetLine(d))
            if let m = d.manifestFrames, m != d.framesOnDisk {
                o.evidence.append("the manifest claims \(m) frames; \(d.framesOnDisk) are annotated and on disk")
            }
            if d.rgbFiles != d.framesOnDisk { o.evidence.append("\(d.rgbFiles) PNG files under rgb/") }

        case .datasetSeconds:
            o.evidence.append(datasetLine(d))
            guard let s = d.runSeconds else {
                o.reason = d.manifestPresent ? "manifest.json has no run.seconds" : "no manifest.json"
                break
            }
            o.value = s
            o.evidence.append("manifest run.seconds = \(GradeFormat.number(s))")
            if let span = d.writeSpanSeconds {
                o.evidence.append("rgb/ files were written over \(GradeFormat.number(span, digits: 1)) s")
                if span > s * 1.05 + 2 {
                    o.value = span
                    o.evidence.append("the files' write times span more than run.seconds: the span is taken")
                }
            }

        case .datasetSizeGB:
            o.value = Double(d.bytesOnDisk) / 1e9
            o.evidence.append("\(d.bytesOnDisk) bytes in \(d.filesOnDisk) files on disk (walked, not read from the manifest)")
            if let m = d.manifestBytes {
                o.evidence.append("manifest files[] total \(m) bytes" + (d.manifestMismatches.isEmpty ? "" : "; \(d.manifestMismatches.count) entries disagree with the disk"))
            }
            for mm in d.manifestMismatches.prefix(3) { o.evidence.append("mismatch: \(mm)") }

        case .datasetValidationErrors:
            o.value = Double(d.validationErrors)
            o.evidence.append(datasetLine(d))
            let codes = d.validationCodes.sorted { $0.key < $1.key }.map { "\($0.key) ×\($0.value)" }
            o.evidence.append("validate: \(d.validationErrors) errors, \(d.validationWarnings) warnings" + (codes.isEmpty ? "" : " (\(codes.joined(separator: ", ")))"))
            o.evidence += d.notes

        case .datasetAuditFailures:
            let a = d.audit
            o.evidence.append("audit: \(a.status.rawValue): \(a.detail)")
            switch a.status {
            case .unavailable: o.unavailable = true; o.reason = "audit not available: \(a.detail)"
            case .passed, .failed: o.value = Double(a.failedChecks)
            }
        default:
            preconditionFailure("\(metric) is not a dataset metric")
        }
        return o
    }

    /// The accuracy metrics: recomputed accuracies, their difference, and the bootstrap the check asks for.
    func accuracyMetric(_ check: RubricCheck, ex: RubricExercise, bindings: [String: String]) throws -> Outcome {
        var o = Outcome()
        let bs = rubric.bootstrap
        let seed = CounterRNG.key([bs.seed] + check.id.utf8.map { UInt64($0) })
        func model(_ role: String) -> String { bindings[role]! }
        func acc(_ role: String, _ set: String) throws -> Double? {
            let id = model(role)
            guard let a = try accuracy(id, set) else {
                o.reason = sub.models[id]!.detections[set] == nil
                    ? "model '\(id)' has no detections for the \(set) test set"
                    : "accuracy of '\(id)' on the \(set) test set is undefined (no ground truth)"
                return nil
            }
            o.evidence.append("\(id) (\(role)): \(GradeFormat.number(a)) points on the \(set) test set, recomputed from its detections")
            return a
        }
        switch check.metric {
        case .accuracy:
            guard let a = try acc("model", check.testSet) else { break }
            o.value = a
            if check.test == .bootstrapCI, let e = try evaluation(model("model"), check.testSet) {
                let ci = ImageBootstrap.interval(e.records, resamples: bs.resamples, confidence: bs.confidence, seed: seed)
                o.statistics = CheckStatistics(test: .bootstrapCI, resamples: bs.resamples, confidence: bs.confidence, alpha: nil,
                                               low: ci.low * 100, high: ci.high * 100, comparisons: [])
                o.evidence.append(ciText(ci.low * 100, ci.high * 100, bs))
            }

        case .accuracyGain:
            guard let c = try acc("candidate", check.testSet), let b = try acc("baseline", check.testSet) else { break }
            o.value = c - b
            if let test = check.test {
                try superiority(check, test: test, candidate: model("candidate"), others: [("baseline", model("baseline"))], into: &o, seed: seed)
            }

        case .accuracySuperiority:
            guard let c = try acc("candidate", check.testSet) else { break }
            var others: [(String, String)] = []
            var diffs: [Double] = []
            for spec in ex.roles where spec.kind == .model && spec.name != "candidate" {
                guard let b = try acc(spec.name, check.testSet) else { return o }
                others.append((spec.name, model(spec.name)))
                diffs.append(c - b)
            }
            o.value = diffs.min()
            try superiority(check, test: .pairedBootstrap, candidate: model("candidate"), others: others, into: &o, seed: seed)

        case .accuracyLoss:
            guard let s = try acc("scratch", check.testSet), let f = try acc("fine_tuned", check.testSet) else { break }
            o.value = s - f
            if check.test == .bootstrapCI {
                try pairedInterval(model("scratch"), model("fine_tuned"), check.testSet, into: &o, seed: seed)
            }

        case .domainGap:
            let id = model("model")
            guard let syn = try acc("model", "synthetic"), let real = try acc("model", "real") else { break }
            o.value = syn - real
            if check.test == .bootstrapCI, let es = try evaluation(id, "synthetic"), let er = try evaluation(id, "real") {
                let ci = ImageBootstrap.interval(es.records, minus: er.records, resamples: bs.resamples,
                                                 confidence: bs.confidence, seed: seed)
                o.statistics = CheckStatistics(test: .bootstrapCI, resamples: bs.resamples, confidence: bs.confidence, alpha: nil,
                                               low: ci.low * 100, high: ci.high * 100, comparisons: [])
                o.evidence.append(ciText(ci.low * 100, ci.high * 100, bs) + " (the two test sets resampled independently)")
            }
        default:
            preconditionFailure("\(check.metric) is not an accuracy metric")
        }
        return o
    }

    /// The training metrics: log rows, frames of the training dataset, a transfer result.
    func trainingMetric(_ metric: MetricKind, bindings: [String: String]) throws -> Outcome {
        var o = Outcome()
        func model(_ role: String) -> String { bindings[role]! }
        switch metric {
        case .curvePoints:
            let id = model("model")
            if let l = try log(id) {
                o.value = Double(l.rows.count)
                o.evidence.append("\(id): \(l.rows.count) rows in \((l.file as NSString).lastPathComponent), final held-out metric \(GradeFormat.number(l.finalMetric * 100)) points at \(GradeFormat.number(l.totalSeconds / 3600, digits: 2)) h")
            } else {
                o.value = 0
                o.evidence.append("\(id) has no training_log")
            }

        case .framesNeeded:
            let id = model("model")
            guard let key = sub.models[id]!.dataset, let d = datasets[key] else {
                o.reason = "model '\(id)' names no dataset: the frames it needed cannot be measured"
                break
            }
            o.value = Double(d.framesOnDisk)
            o.evidence.append("\(id) was trained on dataset \(key): \(d.framesOnDisk) frames annotated and on disk")
            if let l = try log(id) {
                o.evidence.append("its log ends at \(GradeFormat.number(l.rows.last!.imagesSeen)) images seen")
            }

        case .transferPresent:
            let id = model("fine_tuned")
            let m = sub.models[id]!
            var present = 1.0
            if let pre = sub.pretrainedModel(of: m) {
                o.evidence.append("\(id) is pre-trained on model '\(pre.id)' (\(pre.trainedOn), randomization \(pre.randomization ?? "n/a")) and fine-tuned on \(m.trainedOn) data")
                if let a = try accuracy(id, "real") {
                    o.evidence.append("transfer result: \(GradeFormat.number(a)) points on the real test set")
                    if let b = try accuracy(pre.id, "real") {
                        o.evidence.append("\(pre.id) before fine-tuning: \(GradeFormat.number(b)) points (fine-tuning adds \(GradeFormat.number(a - b)))")
                    }
                } else {
                    present = 0
                    o.evidence.append("\(id) has no evaluable detections on the real test set: no transfer result")
                }
            } else {
                present = 0
                o.evidence.append("\(id) is not pre-trained on a model of this submission (pretrained_on: \(m.pretrainedOn))")
            }
            o.value = present
        default:
            preconditionFailure("\(metric) is not a training metric")
        }
        return o
    }

    func datasetLine(_ d: DatasetFacts) -> String {
        "dataset \(d.key): \(d.framesOnDisk) frames annotated and on disk of \(d.annotatedImages) listed, \(GradeFormat.number(Double(d.bytesOnDisk) / 1e9, digits: 3)) GB measured"
    }

    func ciText(_ lo: Double, _ hi: Double, _ bs: BootstrapSettings) -> String {
        "\(GradeFormat.number(bs.confidence * 100)) % bootstrap CI [\(GradeFormat.number(lo)), \(GradeFormat.number(hi))] over test images (\(bs.resamples) resamples)"
    }

    func pairedInterval(_ a: String, _ b: String, _ set: String, into o: inout Outcome, seed: UInt64) throws {
        guard let ea = try evaluation(a, set), let eb = try evaluation(b, set) else { return }
        let bs = rubric.bootstrap
        let c = ImageBootstrap.paired(candidate: ea.records, baselines: [eb.records], resamples: bs.resamples,
                                      confidence: bs.confidence, seed: seed)[0]
        o.statistics = CheckStatistics(test: .bootstrapCI, resamples: bs.resamples, confidence: bs.confidence, alpha: nil,
                                       low: c.low * 100, high: c.high * 100, comparisons: [])
        o.evidence.append(ciText(c.low * 100, c.high * 100, bs) + " (paired)")
    }

    /// Paired bootstrap of candidate against each other model, one-sided, Holm across the comparisons.
    func superiority(_ check: RubricCheck, test: StatTest, candidate: String, others: [(role: String, model: String)],
                     into o: inout Outcome, seed: UInt64) throws {
        let bs = rubric.bootstrap
        guard let ec = try evaluation(candidate, check.testSet) else { return }
        var baseRecords: [ImageRecords] = []
        for (_, m) in others {
            guard let e = try evaluation(m, check.testSet) else { return }
            baseRecords.append(e.records)
        }
        let comps = ImageBootstrap.paired(candidate: ec.records, baselines: baseRecords, resamples: bs.resamples,
                                          confidence: bs.confidence, seed: seed)
        if test == .bootstrapCI {
            let c = comps[0]
            o.statistics = CheckStatistics(test: .bootstrapCI, resamples: bs.resamples, confidence: bs.confidence, alpha: nil,
                                           low: c.low * 100, high: c.high * 100, comparisons: [])
            o.evidence.append(ciText(c.low * 100, c.high * 100, bs) + " (paired)")
            return
        }
        let alpha = check.alpha ?? 0.05
        let p = comps.map(\.pValue)
        let adjusted = (try? Stats.holmAdjusted(p)) ?? p
        var stats: [CheckStatistics.Comparison] = []
        for (i, c) in comps.enumerated() {
            let sig = adjusted[i] <= alpha && c.estimate > 0
            stats.append(.init(against: "\(others[i].role) (\(others[i].model))", estimate: c.estimate * 100, low: c.low * 100,
                               high: c.high * 100, pValue: c.pValue, adjustedPValue: adjusted[i], significant: sig))
            o.evidence.append("\(candidate) − \(others[i].model): \(GradeFormat.number(c.estimate * 100)) points, \(GradeFormat.number(bs.confidence * 100)) % CI [\(GradeFormat.number(c.low * 100)), \(GradeFormat.number(c.high * 100))], one-sided p = \(GradeFormat.p(c.pValue)), Holm-adjusted \(GradeFormat.p(adjusted[i])) → \(sig ? "significant" : "not significant") at α = \(GradeFormat.number(alpha))")
        }
        o.statistics = CheckStatistics(test: .pairedBootstrap, resamples: bs.resamples, confidence: bs.confidence, alpha: alpha,
                                       low: nil, high: nil, comparisons: stats)
        o.testPassed = stats.allSatisfy(\.significant)
        o.evidence.append("paired bootstrap over \(ec.records.imageCount) test images, \(bs.resamples) resamples")
    }

    /// Time to reach the from-scratch model's best held-out metric (time_saving) or total training time (speedup).
    func timing(_ check: RubricCheck, ft: String, scratch: String, into o: inout Outcome) throws {
        guard let ls = try log(scratch) else { o.reason = "model '\(scratch)' has no training_log"; return }
        guard let lf = try log(ft) else { o.reason = "model '\(ft)' has no training_log"; return }
        var pretrain = 0.0
        if check.includePretraining {
            let m = sub.models[ft]!
            if let pre = sub.pretrainedModel(of: m) {
                if let lp = try log(pre.id) {
                    pretrain = lp.totalSeconds
                    o.evidence.append("pre-training (\(pre.id)): \(GradeFormat.hours(lp.totalSeconds)) from its log, counted")
                } else {
                    o.reason = "the pre-training model '\(pre.id)' has no training_log: its time cannot be counted"
                    return
                }
            } else {
                o.evidence.append("\(ft) starts from '\(m.pretrainedOn)' (external): no pre-training time counted")
            }
        }
        if check.metric == .speedup {
            let x = ls.totalSeconds, y = lf.totalSeconds + pretrain
            o.evidence.append("from scratch (\(scratch)): X = \(GradeFormat.hours(x)); pre-training + fine-tuning (\(ft)): Y = \(GradeFormat.hours(y))")
            o.evidence.append("held-out metric at the end: \(scratch) \(GradeFormat.number(ls.finalMetric * 100)), \(ft) \(GradeFormat.number(lf.finalMetric * 100)) points")
            if y <= 0 { o.reason = "the fine-tuned model's training time is 0"; return }
            o.value = x / y
            return
        }
        let target = ls.bestMetric
        guard let ts = ls.secondsToReach(target) else { o.reason = "cannot locate the target in the scratch log"; return }
        o.evidence.append("target: \(scratch)'s best held-out metric \(GradeFormat.number(target * 100)) points, reached at \(GradeFormat.hours(ts))")
        guard let tf = lf.secondsToReach(target) else {
            o.reason = "\(ft) never reaches \(GradeFormat.number(target * 100)) points (best \(GradeFormat.number(lf.bestMetric * 100)))"
            return
        }
        let total = tf + pretrain
        o.evidence.append("\(ft) reaches it at \(GradeFormat.hours(tf)) of fine-tuning; \(GradeFormat.hours(total)) in all")
        if ts <= 0 { o.reason = "the scratch model reaches its best at time 0"; return }
        o.value = (1 - total / ts) * 100
    }
}
