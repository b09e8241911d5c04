import Foundation
import Support

/// A training log: one row per evaluation, CSV with a header naming at least
/// `epoch,wall_seconds,images_seen,metric` (other columns are kept as text and ignored).
/// `wall_seconds` is cumulative wall time since this model's training started; `metric` is the held-out
/// metric as a fraction in [0, 1]. Epochs strictly increase; wall seconds and images seen never decrease.
public struct TrainingLog: Sendable, Equatable {
    public struct Row: Sendable, Equatable {
        public var epoch: Double
        public var wallSeconds: Double
        public var imagesSeen: Double
        public var metric: Double
    }

    public var file: String
    public var rows: [Row]

    public static let requiredColumns = ["epoch", "wall_seconds", "images_seen", "metric"]

    public static func load(path: String, limits: GradingLimits = .standard) throws -> TrainingLog {
        let text = try BoundedRead.text(path, limit: limits.csvBytes, what: "training log")
        return try parse(text, file: path, limits: limits)
    }

    public static func parse(_ text: String, file: String, limits: GradingLimits = .standard) throws -> TrainingLog {
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" }).map {
            $0.hasSuffix("\r") ? String($0.dropLast()) : String($0)
        }
        while let last = lines.last, last.trimmingCharacters(in: .whitespaces).isEmpty { lines.removeLast() }
        guard let header = lines.first else { throw InputError(file: file, message: "empty training log") }
        let names = header.split(separator: ",", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces).lowercased()
        }
        var index: [String: Int] = [:]
        for (i, n) in names.enumerated() {
            if index[n] != nil { throw InputError(file: file, line: 1, column: 1, field: n, message: "column named twice") }
            index[n] = i
        }
        for c in requiredColumns where index[c] == nil {
            throw InputError(file: file, line: 1, column: 1, field: c,
                                    message: "missing column (the header needs \(requiredColumns.joined(separator: ",")))")
        }
        if lines.count - 1 > limits.logRows {
            throw InputError(file: file, message: "more than \(limits.logRows) rows; refused")
        }
        var rows: [Row] = []
        for (n, line) in lines.dropFirst().enumerated() {
            let lineNo = n + 2
            if line.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            if cells.count != names.count {
                throw InputError(file: file, line: lineNo, column: 1, message: "\(cells.count) fields, the header has \(names.count)")
            }
            func value(_ c: String) throws -> Double {
                let i = index[c]!
                let column = cells[..<i].reduce(1) { $0 + $1.count + 1 }
                guard let v = Double(cells[i]), v.isFinite else {
                    throw InputError(file: file, line: lineNo, column: column, field: c, message: "'\(cells[i])' is not a finite number")
                }
                if v < 0 { throw InputError(file: file, line: lineNo, column: column, field: c, message: "negative") }
                return v
            }
            let row = Row(epoch: try value("epoch"), wallSeconds: try value("wall_seconds"),
                          imagesSeen: try value("images_seen"), metric: try value("metric"))
            if row.metric > 1 {
                throw InputError(file: file, line: lineNo, column: 1, field: "metric",
                                        message: "\(row.metric) is above 1 (the metric is a fraction in [0, 1])")
            }
            if let prev = rows.last {
                if row.epoch <= prev.epoch {
                    throw InputError(file: file, line: lineNo, column: 1, field: "epoch", message: "does not increase")
                }
                if row.wallSeconds < prev.wallSeconds {
                    throw InputError(file: file, line: lineNo, column: 1, field: "wall_seconds",
                                            message: "decreases (it is cumulative wall time)")
                }
                if row.imagesSeen < prev.imagesSeen {
                    throw InputError(file: file, line: lineNo, column: 1, field: "images_seen", message: "decreases")
                }
            }
            rows.append(row)
        }
        if rows.isEmpty { throw InputError(file: file, message: "no data row") }
        return TrainingLog(file: file, rows: rows)
    }

    /// Wall seconds of the last row: the whole training.
    public var totalSeconds: Double { rows.last!.wallSeconds }
    public var bestMetric: Double { rows.map(\.metric).max()! }
    public var finalMetric: Double { rows.last!.metric }

    /// Wall seconds of the first row whose metric reaches `target` (nil when none does).
    public func secondsToReach(_ target: Double) -> Double? {
        rows.first { $0.metric >= target - 1e-12 }?.wallSeconds
    }
}
