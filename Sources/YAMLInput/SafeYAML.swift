#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Support
import Yams

/// Bounds on a YAML document from a file someone else wrote.
public struct YAMLLimits: Sendable, Equatable {
    /// Size of the file.
    public var bytes: Int
    /// Deepest nesting (mappings and sequences).
    public var depth: Int
    /// Nodes visited, aliases expanded (a "billion laughs" document stops here).
    public var nodes: Int

    public init(bytes: Int = InputLimits.yamlBytes, depth: Int = InputLimits.yamlDepth, nodes: Int = InputLimits.yamlNodes) {
        self.bytes = bytes; self.depth = depth; self.nodes = nodes
    }

    public static let standard = YAMLLimits()
}

/// The one YAML front end (configs, rubrics, submissions). Files are read with a size limit; nesting is
/// bounded before the composer recurses, and the composed tree is walked with a node budget (aliases count
/// once per use), so neither deep nesting nor alias bombs get far. Every error is an `InputError` with the
/// file, line and column.
public enum SafeYAML {
    /// Reads `path` (at most `limits.bytes`, UTF-8) and composes it; `what` names the file in size errors.
    public static func load(path: String, what: String, limits: YAMLLimits = .standard) throws -> (text: String, root: Node) {
        let text = try read(path: path, what: what, limits: limits)
        return (text, try compose(text, file: path, limits: limits))
    }

    /// The text of a YAML file, refused when over `limits.bytes` or not UTF-8.
    public static func read(path: String, what: String, limits: YAMLLimits = .standard, field: String = "") throws -> String {
        let bytes: [UInt8]
        do {
            guard let size = fileSize(path) else { throw InputError(file: path, field: field, message: "cannot read \(what)") }
            if size > limits.bytes {
                throw InputError(file: path, field: field, message: "\(what) is \(size) bytes, over the limit of \(limits.bytes) bytes; refused")
            }
            bytes = try FileIO.readAll(path)
        } catch let e as InputError { throw e } catch {
            throw InputError(file: path, field: field, message: "cannot read \(what): \(error)")
        }
        guard let s = String(bytes: bytes, encoding: .utf8) else {
            throw InputError(file: path, field: field, message: "\(what) is not valid UTF-8")
        }
        return s
    }

    static func fileSize(_ path: String) -> Int? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return Int(st.st_size)
    }

    public static func compose(_ text: String, file: String, limits: YAMLLimits = .standard) throws -> Node {
        if text.utf8.count > limits.bytes {
            throw InputError(file: file, message: "\(text.utf8.count) bytes, over the limit of \(limits.bytes) bytes; refused")
        }
        try preScan(text, file: file, limits: limits)
        let root: Node?
        do { root = try Yams.compose(yaml: text) }
        catch let e as YamlError {
            let (line, column) = position(of: e)
            throw InputError(file: file, line: line, column: column, message: "not valid YAML: \(summary(e))")
        } catch {
            throw InputError(file: file, message: "not valid YAML: \(error)")
        }
        guard let root else { throw InputError(file: file, message: "empty document") }
        var budget = limits.nodes
        try walk(root, depth: 1, budget: &budget, file: file, limits: limits)
        return root
    }

    /// Conservative bound on nesting from the text alone: flow brackets outside quotes and comments, and
    /// block indentation plus leading `- ` indicators. Block nesting needs one column per level, so a
    /// bound on columns bounds the composer's recursion.
    static func preScan(_ text: String, file: String, limits: YAMLLimits) throws {
        var flow = 0
        var line = 1
        var quote: UInt8 = 0
        var atLineStart = true
        var indent = 0
        var dashes = 0
        var inComment = false
        var prev: UInt8 = 0x20
        let maxColumns = limits.depth * 4
        for c in text.utf8 {
            if c == 0x0A {
                line += 1; atLineStart = true; indent = 0; dashes = 0; inComment = false
                if quote == 0x27 || quote == 0x22 { /* multi-line quoted scalars continue */ }
                prev = c
                continue
            }
            if inComment { prev = c; continue }
            if atLineStart {
                if c == 0x20 { indent += 1; prev = c; continue }
                if c == 0x2D { dashes += 1; prev = c; continue }   // '-' (checked as "- " below)
                if c == 0x09 && dashes == 0 { indent += 1; prev = c; continue }
                atLineStart = false
                if indent + dashes > maxColumns {
                    throw InputError(file: file, line: line, column: indent + 1,
                                            message: "nested deeper than the limit (\(limits.depth) levels); refused")
                }
            }
            if quote != 0 {
                if c == quote && !(quote == 0x22 && prev == 0x5C) { quote = 0 }
                prev = c
                continue
            }
            switch c {
            case 0x23 where prev == 0x20 || prev == 0x0A || prev == 0x09: inComment = true   // '#'
            case 0x27, 0x22: if prev == 0x20 || prev == 0x5B || prev == 0x7B || prev == 0x2C || prev == 0x3A || prev == 0x0A { quote = c }
            case 0x5B, 0x7B:
                flow += 1
                if flow > limits.depth {
                    throw InputError(file: file, line: line, column: 0,
                                            message: "nested deeper than the limit (\(limits.depth) levels); refused")
                }
            case 0x5D, 0x7D: flow = max(0, flow - 1)
            default: break
            }
            prev = c
        }
    }

    static func walk(_ node: Node, depth: Int, budget: inout Int, file: String, limits: YAMLLimits) throws {
        budget -= 1
        if budget < 0 {
            throw InputError(file: file, line: node.mark?.line ?? 0, column: node.mark?.column ?? 0,
                                    message: "more than \(limits.nodes) YAML nodes once aliases are expanded; refused")
        }
        if depth > limits.depth {
            throw InputError(file: file, line: node.mark?.line ?? 0, column: node.mark?.column ?? 0,
                                    message: "nested deeper than the limit (\(limits.depth) levels); refused")
        }
        switch node {
        case .mapping(let m):
            for (k, v) in m {
                try walk(k, depth: depth + 1, budget: &budget, file: file, limits: limits)
                try walk(v, depth: depth + 1, budget: &budget, file: file, limits: limits)
            }
        case .sequence(let s):
            for v in s { try walk(v, depth: depth + 1, budget: &budget, file: file, limits: limits) }
        case .scalar, .alias: break
        }
    }

    static func position(of error: YamlError) -> (Int, Int) {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _):
            return (mark.line, mark.column)
        default: return (0, 0)
        }
    }

    static func summary(_ error: YamlError) -> String {
        switch error {
        case .scanner(let context, let problem, _, _), .parser(let context, let problem, _, _),
             .composer(let context, let problem, _, _):
            return [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
        default: return "\(error)"
        }
    }
}

/// Typed access to a composed YAML tree; every error names the file, line, column and dotted field.
public struct YAMLFields {
    public let file: String

    public init(file: String) { self.file = file }

    public func fail(_ node: Node?, _ field: String, _ message: String) -> InputError {
        InputError(file: file, line: node?.mark?.line ?? 0, column: node?.mark?.column ?? 0,
                          field: field, message: message)
    }

    public func mark(_ node: Node) -> (Int, Int) { (node.mark?.line ?? 0, node.mark?.column ?? 0) }

    public static func join(_ a: String, _ b: String) -> String { a.isEmpty ? b : "\(a).\(b)" }

    /// The pairs of a mapping in document order; keys must be distinct plain strings, and only `allowed`
    /// keys (when given) may appear.
    public func mapping(_ node: Node, _ field: String, allowed: Set<String>? = nil) throws -> [(key: String, keyNode: Node, value: Node)] {
        guard case .mapping(let m) = node else { throw fail(node, field, "expected a mapping") }
        var seen = Set<String>()
        var out: [(String, Node, Node)] = []
        for (k, v) in m {
            guard case .scalar(let s) = k else { throw fail(k, field, "keys must be strings") }
            let key = s.string
            let f = Self.join(field, key)
            if !seen.insert(key).inserted { throw fail(k, f, "duplicate key") }
            if let allowed, !allowed.contains(key) {
                throw fail(k, f, "unknown key (expected one of: \(allowed.sorted().joined(separator: ", ")))")
            }
            out.append((key, k, v))
        }
        return out
    }

    public func lookup(_ pairs: [(key: String, keyNode: Node, value: Node)], _ key: String) -> Node? {
        pairs.first { $0.key == key }?.value
    }

    public func require(_ pairs: [(key: String, keyNode: Node, value: Node)], _ key: String, in node: Node, _ field: String) throws -> Node {
        guard let v = lookup(pairs, key) else { throw fail(node, Self.join(field, key), "missing") }
        return v
    }

    public func isNull(_ node: Node) -> Bool {
        if case .scalar(let s) = node, s.style == .plain, ["", "~", "null", "Null", "NULL"].contains(s.string) { return true }
        return false
    }

    public func string(_ node: Node, _ field: String) throws -> String {
        guard case .scalar(let s) = node, !isNull(node) else { throw fail(node, field, "expected a string") }
        return s.string
    }

    public func identifier(_ node: Node, _ field: String) throws -> String {
        let s = try string(node, field)
        let ok = !s.isEmpty && s.count <= 64 && s.unicodeScalars.allSatisfy {
            CharacterSet.alphanumerics.contains($0) || "._-".unicodeScalars.contains($0)
        }
        if !ok { throw fail(node, field, "'\(s)' is not an identifier (letters, digits, '.', '_', '-'; at most 64)") }
        return s
    }

    public func number(_ node: Node, _ field: String) throws -> Double {
        guard case .scalar(let s) = node, s.style == .plain, let v = node.float, v.isFinite else {
            throw fail(node, field, "expected a finite number")
        }
        return v
    }

    public func int(_ node: Node, _ field: String, min: Int = Int.min, max: Int = Int.max) throws -> Int {
        guard case .scalar(let s) = node, s.style == .plain, let v = node.int else { throw fail(node, field, "expected an integer") }
        guard v >= min && v <= max else { throw fail(node, field, "\(v) is outside \(min)...\(max)") }
        return v
    }

    public func bool(_ node: Node, _ field: String) throws -> Bool {
        guard case .scalar(let s) = node, s.style == .plain, let v = node.bool else { throw fail(node, field, "expected true or false") }
        return v
    }

    public func sequence(_ node: Node, _ field: String) throws -> [Node] {
        guard case .sequence(let s) = node else { throw fail(node, field, "expected a list") }
        return Array(s)
    }

    public func oneOf(_ node: Node, _ field: String, _ values: [String]) throws -> String {
        let s = try string(node, field)
        guard values.contains(s) else { throw fail(node, field, "'\(s)' is not one of: \(values.joined(separator: ", "))") }
        return s
    }
}
