/// The chapter 4 rubric, built into the binary (the same text as fixtures/rubrics/chapter4.yaml; a test
/// keeps the two identical).
extension Rubric {
    public static let chapter4YAML = #"""
# Chapter 4 (Synthetic Data Generation with Isaac Lab): every acceptance threshold of the chapter as a check.
# `synthbench grade` recomputes each metric from a submission's artifacts (docs/GRADING.md); the numbers a
# student reports are only compared with the recomputed ones.
rubric: chapter4
title: "Chapter 4: Synthetic Data Generation with Isaac Lab"
version: 1

# What "accuracy" means in every check below: COCO AP at IoU 0.5 for boxes, from `synthbench eval`, in points.
accuracy: {statistic: ap50, iou_type: bbox}
# A reported number differing from the recomputed one by more than max(absolute, relative × |computed|) is a
# discrepancy (flagged apart from the verdict).
tolerance: {absolute: 0.5, relative: 0.01}
bootstrap: {resamples: 2000, confidence: 0.95, seed: 4}

exercises:
  general:
    title: "Every submitted dataset"
    always: true
  obj8:
    title: "Objective 8: scale data generation"
    roles: {bench: bench}
  lab1:
    title: "Lab 1: domain randomization experiment"
    roles:
      candidate: {model: {randomization: full, trained_on: synthetic}}
      baseline: {model: {randomization: none, trained_on: synthetic}}
  lab2:
    title: "Lab 2: scale data generation"
    roles: {dataset: dataset}
  lab3:
    title: "Lab 3: transfer learning pipeline"
    roles:
      fine_tuned: {model: {trained_on: real, pretraining: synthetic}}
      scratch: {model: {trained_on: real, pretraining: [none, external]}}
  ex1:
    title: "Exercise 1: generate a large-scale dataset"
    roles: {dataset: dataset}
  ex2:
    title: "Exercise 2: domain randomization ablation"
    roles:
      candidate: {model: {randomization: full, trained_on: synthetic}}
      light: {model: {randomization: light, trained_on: synthetic}}
      none: {model: {randomization: none, trained_on: synthetic}}
  ex3:
    title: "Exercise 3: transfer learning speedup"
    roles:
      fine_tuned: {model: {trained_on: real, pretraining: synthetic}}
      scratch: {model: {trained_on: real, pretraining: [none, external]}}
  ex4:
    title: "Exercise 4: synthetic-real parity"
    roles:
      model: {model: {trained_on: synthetic}}
  capstone:
    title: "Capstone: perception model trained on synthetic data"
    roles:
      dataset: dataset
      model: model
      fine_tuned: {model: {trained_on: real, pretraining: synthetic}}

checks:
  - id: general.seed_bugs
    exercise: general
    title: "No seed-code bug in a submitted dataset (W×H swapped, depth without unit, RGB scaled twice)"
    metric: seed_bugs
    comparator: "=="
    threshold: 0

  - id: obj8.frames_per_hour
    exercise: obj8
    title: "Generation reaches 100K+ frames per hour (640×480)"
    metric: frames_per_hour
    comparator: ">="
    threshold: 100000
    require_image: [640, 480]
    tolerance: {relative: 0.02}

  - id: lab1.gain
    exercise: lab1
    title: "Full randomization 10–15 points above no randomization on the real test set"
    metric: accuracy_gain
    comparator: ">="
    threshold: 10
    expected: [10, 15]

  - id: lab2.envs
    exercise: lab2
    title: "64 parallel environments"
    metric: dataset_envs
    comparator: "=="
    threshold: 64
  - id: lab2.frames
    exercise: lab2
    title: "50K frames exported"
    metric: dataset_frames
    comparator: ">="
    threshold: 50000
  - id: lab2.seconds
    exercise: lab2
    title: "Generated in under 10 minutes"
    metric: dataset_seconds
    comparator: "<"
    threshold: 600
  - id: lab2.valid
    exercise: lab2
    title: "Validated for ML training: no COCO error"
    metric: dataset_validation_errors
    comparator: "=="
    threshold: 0
  - id: lab2.audit
    exercise: lab2
    title: "Validated for ML training: randomization audit passes"
    metric: dataset_audit_failures
    comparator: "=="
    threshold: 0

  - id: lab3.time_saving
    exercise: lab3
    title: "Fine-tuned model reaches the from-scratch accuracy in at least 20 % less time"
    metric: time_saving
    comparator: ">="
    threshold: 20

  - id: ex1.frames
    exercise: ex1
    title: "100K frames exported"
    metric: dataset_frames
    comparator: ">="
    threshold: 100000
  - id: ex1.size
    exercise: ex1
    title: "File size ~40–60 GB on disk"
    metric: dataset_size_gb
    comparator: between
    threshold: [40, 60]

  - id: ex2.full_better
    exercise: ex2
    title: "Full randomization significantly better than light and none on the real test set"
    metric: accuracy_superiority
    comparator: ">"
    threshold: 0
    test: paired_bootstrap
    alpha: 0.05

  - id: ex3.speedup
    exercise: ex3
    title: "Synthetic pre-training + fine-tuning 10–50× faster than training from scratch"
    metric: speedup
    comparator: between
    threshold: [10, 50]
    tolerance: {relative: 0.05}
  - id: ex3.accuracy_loss
    exercise: ex3
    title: "Less than 10 points of accuracy lost against the from-scratch model"
    metric: accuracy_loss
    comparator: "<"
    threshold: 10

  - id: ex4.gap
    exercise: ex4
    title: "Domain gap (synthetic − real accuracy) under 10 points, with a bootstrap CI"
    metric: domain_gap
    comparator: "<"
    threshold: 10
    test: bootstrap_ci
  - id: ex4.curves
    exercise: ex4
    title: "Training curves documented"
    metric: curve_points
    comparator: ">="
    threshold: 2
  - id: ex4.frames_needed
    exercise: ex4
    title: "Number of frames needed stated"
    metric: frames_needed
    comparator: ">="
    threshold: 1
    require_reported: true
    tolerance: {absolute: 0, relative: 0}

  - id: capstone.frames
    exercise: capstone
    title: "10K+ synthetic training images"
    metric: dataset_frames
    comparator: ">="
    threshold: 10000
  - id: capstone.valid
    exercise: capstone
    title: "The training dataset is valid COCO"
    metric: dataset_validation_errors
    comparator: "=="
    threshold: 0
  - id: capstone.accuracy
    exercise: capstone
    title: "Detection model above 80 % accuracy on the real test set"
    metric: accuracy
    comparator: ">"
    threshold: 80
  - id: capstone.transfer
    exercise: capstone
    title: "A fine-tuned model and its transfer result are present"
    metric: transfer_present
    comparator: "=="
    threshold: 1

"""#
}
