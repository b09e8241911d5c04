/// Input that cannot be used: a missing, unreadable or malformed file or flag. It names the file, the line and
/// column (1-based; 0 when unknown) and the field (a dotted path such as `config.image.width`; empty when the
/// whole file is at fault), and renders as `file:line:col: field: message`. Every reader of other people's
/// files (configs, manifests, logs, COCO files, rubrics, submissions, results) throws this one type.
public struct InputError: Error, CustomStringConvertible, Equatable, Sendable {
    public var file: String
    public var line: Int
    public var column: Int
    public var field: String
    public var message: String

    public init(file: String, line: Int = 0, column: Int = 0, field: String = "", message: String) {
        self.file = file; self.line = line; self.column = column; self.field = field; self.message = message
    }

    public var description: String {
        let place = line > 0 ? "\(file):\(line):\(column)" : file
        return field.isEmpty ? "\(place): \(message)" : "\(place): \(field): \(message)"
    }

    /// The same error naming `field` (when it names none yet).
    public func naming(_ field: String) -> InputError {
        var e = self
        if e.field.isEmpty { e.field = field }
        return e
    }
}

/// Exit statuses of the command-line tool, and the one mapping from an error to its status.
public enum ExitStatus {
    /// Every check passed.
    public static let ok: Int32 = 0
    /// A check failed (the report says which).
    public static let checkFailed: Int32 = 1
    /// Bad input or environment: the error names the file, line and field.
    public static let badInput: Int32 = 2

    /// The status a thrown error ends the process with. Errors never mean "a check failed" (that is a report's
    /// verdict), so every error is bad input or environment: input errors, unreadable files, C-library failures.
    public static func of(_ error: any Error) -> Int32 { badInput }
}
