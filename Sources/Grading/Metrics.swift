/// What a rubric check measures. Each metric is recomputed from the submission's artifacts; the catalog
/// fixes the roles (models, datasets, bench results) it reads and the unit of its value.
public enum MetricKind: String, CaseIterable, Sendable {
    /// Frames per hour of generation, from a bench result (role `bench`).
    case framesPerHour = "frames_per_hour"
    /// `run.envs` of the dataset's manifest (role `dataset`).
    case datasetEnvs = "dataset_envs"
    /// Annotated frames whose image file is on disk (role `dataset`).
    case datasetFrames = "dataset_frames"
    /// `run.seconds` of the dataset's manifest (role `dataset`).
    case datasetSeconds = "dataset_seconds"
    /// Bytes of the regular files under the dataset directory, measured on disk, in GB (10⁹ bytes).
    case datasetSizeGB = "dataset_size_gb"
    /// Error findings of `validate` on the dataset (role `dataset`).
    case datasetValidationErrors = "dataset_validation_errors"
    /// Failed checks of `audit` on the dataset (role `dataset`).
    case datasetAuditFailures = "dataset_audit_failures"
    /// Accuracy of a model on a test set, in points (role `model`).
    case accuracy = "accuracy"
    /// Accuracy of `candidate` minus `baseline` on a test set, in points.
    case accuracyGain = "accuracy_gain"
    /// Smallest accuracy difference between `candidate` and every other role of the exercise, with a paired test.
    case accuracySuperiority = "accuracy_superiority"
    /// Accuracy of `scratch` minus `fine_tuned` on a test set, in points.
    case accuracyLoss = "accuracy_loss"
    /// Synthetic-test accuracy minus real-test accuracy of `model`, in points.
    case domainGap = "domain_gap"
    /// Percent less wall time for `fine_tuned` than `scratch` to reach `scratch`'s best held-out metric.
    case timeSaving = "time_saving"
    /// Total training time of `scratch` over that of `fine_tuned` (its pre-training included by default).
    case speedup = "speedup"
    /// Rows of `model`'s training log.
    case curvePoints = "curve_points"
    /// Frames of `model`'s training dataset, measured on disk.
    case framesNeeded = "frames_needed"
    /// 1 when `fine_tuned` is pre-trained on a synthetic model, fine-tuned on real data and evaluated on the real test set.
    case transferPresent = "transfer_present"
    /// Seed-code bugs found in the submission's datasets (no role).
    case seedBugs = "seed_bugs"

    public enum RoleKind: String, Sendable { case model, dataset, bench }

    /// Roles the metric reads. `accuracySuperiority` also reads every other model role of the exercise.
    public var roles: [(name: String, kind: RoleKind)] {
        switch self {
        case .framesPerHour: return [("bench", .bench)]
        case .datasetEnvs, .datasetFrames, .datasetSeconds, .datasetSizeGB, .datasetValidationErrors, .datasetAuditFailures:
            return [("dataset", .dataset)]
        case .accuracy, .domainGap, .curvePoints, .framesNeeded: return [("model", .model)]
        case .accuracyGain: return [("candidate", .model), ("baseline", .model)]
        case .accuracySuperiority: return [("candidate", .model)]
        case .accuracyLoss, .timeSaving, .speedup: return [("fine_tuned", .model), ("scratch", .model)]
        case .transferPresent: return [("fine_tuned", .model)]
        case .seedBugs: return []
        }
    }

    public var unit: String {
        switch self {
        case .framesPerHour: return "frames/h"
        case .datasetEnvs: return "envs"
        case .datasetFrames, .framesNeeded: return "frames"
        case .datasetSeconds: return "s"
        case .datasetSizeGB: return "GB"
        case .datasetValidationErrors: return "errors"
        case .datasetAuditFailures: return "failed checks"
        case .accuracy, .accuracyGain, .accuracySuperiority, .accuracyLoss, .domainGap: return "points"
        case .timeSaving: return "%"
        case .speedup: return "×"
        case .curvePoints: return "rows"
        case .transferPresent: return ""
        case .seedBugs: return "bugs"
        }
    }

    /// Statistical procedures a check of this metric may ask for.
    public var allowedTests: [StatTest] {
        switch self {
        case .accuracySuperiority: return [.pairedBootstrap]
        case .accuracyGain: return [.pairedBootstrap, .bootstrapCI]
        case .accuracy, .domainGap, .accuracyLoss: return [.bootstrapCI]
        default: return []
        }
    }
}

/// Statistical requirement of a check.
public enum StatTest: String, Sendable {
    /// One-sided paired bootstrap over test images (the same resample for both models); p-values Holm-adjusted
    /// across the comparisons of the check.
    case pairedBootstrap = "paired_bootstrap"
    /// Percentile bootstrap confidence interval over test images, reported with the estimate.
    case bootstrapCI = "bootstrap_ci"
}

public enum Comparator: String, Sendable, CaseIterable {
    case ge = ">=", gt = ">", le = "<=", lt = "<", eq = "==", between

    public func holds(_ v: Double, _ t: Threshold) -> Bool {
        switch (self, t) {
        case (.ge, .value(let x)): return v >= x
        case (.gt, .value(let x)): return v > x
        case (.le, .value(let x)): return v <= x
        case (.lt, .value(let x)): return v < x
        case (.eq, .value(let x)): return v == x
        case (.between, .range(let lo, let hi)): return v >= lo && v <= hi
        default: return false
        }
    }
}

public enum Threshold: Sendable, Equatable {
    case value(Double)
    case range(Double, Double)
}

/// What "accuracy" means in a rubric: a COCO statistic for bbox or segm, in points (× 100).
public struct AccuracyDefinition: Sendable, Equatable {
    public enum Statistic: String, Sendable, CaseIterable {
        /// AP over IoU 0.50:0.95 (stats[0]).
        case ap
        /// AP at IoU 0.5 (stats[1]).
        case ap50
        /// AP at IoU 0.75 (stats[2]).
        case ap75
        /// AR with 100 detections per image (stats[8]).
        case ar100
    }
    public var statistic: Statistic = .ap50
    public var iouType: String = "bbox"

    public init(statistic: Statistic = .ap50, iouType: String = "bbox") { self.statistic = statistic; self.iouType = iouType }

    public var statsIndex: Int {
        switch statistic { case .ap: return 0; case .ap50: return 1; case .ap75: return 2; case .ar100: return 8 }
    }

    /// IoU thresholds the statistic averages over.
    public var iouThresholds: [Double] {
        switch statistic {
        case .ap50: return [0.5]
        case .ap75: return [0.75]
        case .ap, .ar100:
            let step = (0.95 - 0.5) / 9.0
            var t = (0..<10).map { Double($0) * step + 0.5 }
            t[9] = 0.95
            return t
        }
    }

    public var label: String { "COCO \(statistic.rawValue.uppercased()) (\(iouType))" }
}
