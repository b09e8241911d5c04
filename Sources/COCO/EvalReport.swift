import Support

/// Text and JSON renderings of an `EvalResult` (the format is documented in docs/FORMATS.md, "eval --json").
extension EvalResult {
    private static func num(_ x: Double) -> String { JSONText.number(x) }

    /// The 12 lines pycocotools' `summarize()` prints, with full precision.
    public var summaryLines: [String] {
        let md = params.maxDets
        let rows: [(Bool, String, String, Int)] = [
            (true, "0.50:0.95", "all", md[2]), (true, "0.50", "all", md[2]), (true, "0.75", "all", md[2]),
            (true, "0.50:0.95", "small", md[2]), (true, "0.50:0.95", "medium", md[2]), (true, "0.50:0.95", "large", md[2]),
            (false, "0.50:0.95", "all", md[0]), (false, "0.50:0.95", "all", md[1]), (false, "0.50:0.95", "all", md[2]),
            (false, "0.50:0.95", "small", md[2]), (false, "0.50:0.95", "medium", md[2]), (false, "0.50:0.95", "large", md[2]),
        ]
        return rows.enumerated().map { i, r in
            let title = r.0 ? "Average Precision  (AP)" : "Average Recall     (AR)"
            let iou = r.1.padding(toLength: 9, withPad: " ", startingAt: 0)
            let area = String(repeating: " ", count: max(0, 6 - r.2.count)) + r.2
            let dets = String(repeating: " ", count: max(0, 3 - String(r.3).count)) + String(r.3)
            return " \(title) @[ IoU=\(iou) | area=\(area) | maxDets=\(dets) ] = \(Self.num(stats[i]))"
        }
    }

    public func categoryRows() -> [(id: Int64, name: String, ap: Double, ap50: Double, ap75: Double, ar100: Double)] {
        (0..<K).map { k in
            (categoryIds[k], categoryNames[k], categoryAP(k), categoryAP(k, iouThreshold: 0.5),
             categoryAP(k, iouThreshold: 0.75), categoryAR(k))
        }
    }

    /// The `eval --json` object.
    public func json(scoreThreshold: Double? = nil, gtFile: String? = nil, dtFile: String? = nil) -> String {
        var pairs: [(String, String)] = [
            ("iouType", JSONText.string(iouType.rawValue)),
            ("stats", "[" + stats.map(Self.num).joined(separator: ",") + "]"),
            ("statNames", "[" + Self.statNames.map(JSONText.string).joined(separator: ",") + "]"),
            ("ap", Self.num(stats[0])),
            ("ap50", Self.num(stats[1])),
            ("ap75", Self.num(stats[2])),
        ]
        if let gtFile { pairs.append(("gt", JSONText.string(gtFile))) }
        if let dtFile { pairs.append(("dt", JSONText.string(dtFile))) }
        pairs += [
            ("images", String(imageIds.count)),
            ("categories", String(categoryIds.count)),
            ("groundTruths", String(groundTruthCount)),
            ("detections", String(detectionCount)),
            ("perCategory", "[" + categoryRows().map { r in
                JSONText.object([("id", String(r.id)), ("name", JSONText.string(r.name)), ("ap", Self.num(r.ap)),
                                 ("ap50", Self.num(r.ap50)), ("ap75", Self.num(r.ap75)), ("ar100", Self.num(r.ar100))])
            }.joined(separator: ",") + "]"),
        ]
        if let thr = scoreThreshold {
            func obj(_ s: ThresholdSummary) -> [(String, String)] {
                [("truePositives", String(s.truePositives)), ("falsePositives", String(s.falsePositives)),
                 ("groundTruths", String(s.groundTruths)), ("precision", Self.num(s.precision)),
                 ("recall", Self.num(s.recall))]
            }
            let all = atScoreThreshold(thr)
            let per = (0..<K).map { k in
                JSONText.object([("id", String(categoryIds[k]))] + obj(atScoreThreshold(thr, category: k)))
            }
            pairs.append(("scoreThreshold", JSONText.object(
                [("threshold", Self.num(thr)), ("iouThreshold", "0.5"), ("areaRange", JSONText.string("all")),
                 ("maxDets", String(params.maxDets.last ?? 100))] + obj(all)
                    + [("perCategory", "[" + per.joined(separator: ",") + "]")])))
        }
        return JSONText.object(pairs)
    }

    /// The accumulated arrays (`eval['precision']`, `eval['recall']`, `eval['scores']`), flattened row-major.
    public func arraysJSON() -> String {
        func list(_ xs: [Double]) -> String { "[" + xs.map(Self.num).joined(separator: ",") + "]" }
        return JSONText.object([
            ("iouType", JSONText.string(iouType.rawValue)),
            ("layout", JSONText.string("row-major; precision and scores [T][R][K][A][M], recall [T][K][A][M]")),
            ("shape", JSONText.object([("precision", "[\(T),\(R),\(K),\(A),\(M)]"), ("recall", "[\(T),\(K),\(A),\(M)]"),
                                       ("scores", "[\(T),\(R),\(K),\(A),\(M)]")])),
            ("iouThresholds", list(params.iouThresholds)),
            ("recallThresholds", list(params.recallThresholds)),
            ("categoryIds", "[" + categoryIds.map(String.init).joined(separator: ",") + "]"),
            ("areaRanges", "[" + zip(params.areaLabels, params.areaRanges).map {
                "[" + JSONText.string($0.0) + "," + Self.num($0.1.lo) + "," + Self.num($0.1.hi) + "]"
            }.joined(separator: ",") + "]"),
            ("maxDets", "[" + params.maxDets.map(String.init).joined(separator: ",") + "]"),
            ("precision", list(precision)),
            ("recall", list(recall)),
            ("scores", list(scores)),
        ])
    }
}
