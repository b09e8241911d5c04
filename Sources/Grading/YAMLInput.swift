import Foundation
import Yams

/// YAML from untrusted files: nesting is bounded before the composer recurses, and the composed tree is
/// walked with a node budget (aliases count once per use), so neither deep nesting nor alias bombs get far.
enum SafeYAML {
    static func compose(_ text: String, file: String, limits: GradingLimits) throws -> Node {
        try preScan(text, file: file, limits: limits)
        let root: Node?
        do { root = try Yams.compose(yaml: text) }
        catch let e as YamlError {
            let (line, column) = position(of: e)
            throw GradingInputError(file: file, line: line, column: column, message: "not valid YAML: \(summary(e))")
        } catch {
            throw GradingInputError(file: file, message: "not valid YAML: \(error)")
        }
        guard let root else { throw GradingInputError(file: file, message: "empty document") }
        var budget = limits.yamlNodes
        try walk(root, depth: 1, budget: &budget, file: file, limits: limits)
        return root
    }

    /// Conservative bound on nesting from the text alone: flow brackets outside quotes and comments, and
    /// block indentation plus leading `- ` indicators. Block nesting needs one column per level, so a
    /// bound on columns bounds the composer's recursion.
    static func preScan(_ text: String, file: String, limits: GradingLimits) throws {
        var flow = 0
        var line = 1
        var quote: UInt8 = 0
        var atLineStart = true
        var indent = 0
        var dashes = 0
        var inComment = false
        var prev: UInt8 = 0x20
        let maxColumns = limits.yamlDepth * 4
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
                    throw GradingInputError(file: file, line: line, column: indent + 1,
                                            message: "nested deeper than the limit (\(limits.yamlDepth) levels); refused")
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
                if flow > limits.yamlDepth {
                    throw GradingInputError(file: file, line: line, column: 0,
                                            message: "nested deeper than the limit (\(limits.yamlDepth) levels); refused")
                }
            case 0x5D, 0x7D: flow = max(0, flow - 1)
            default: break
            }
            prev = c
        }
    }

    static func walk(_ node: Node, depth: Int, budget: inout Int, file: String, limits: GradingLimits) throws {
        budget -= 1
        if budget < 0 {
            throw GradingInputError(file: file, line: node.mark?.line ?? 0, column: node.mark?.column ?? 0,
                                    message: "more than \(limits.yamlNodes) YAML nodes once aliases are expanded; refused")
        }
        if depth > limits.yamlDepth {
            throw GradingInputError(file: file, line: node.mark?.line ?? 0, column: node.mark?.column ?? 0,
                                    message: "nested deeper than the limit (\(limits.yamlDepth) levels); refused")
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
struct YAMLFields {
    let file: String

    func fail(_ node: Node?, _ field: String, _ message: String) -> GradingInputError {
        GradingInputError(file: file, line: node?.mark?.line ?? 0, column: node?.mark?.column ?? 0,
                          field: field, message: message)
    }

    func mark(_ node: Node) -> (Int, Int) { (node.mark?.line ?? 0, node.mark?.column ?? 0) }

    static func join(_ a: String, _ b: String) -> String { a.isEmpty ? b : "\(a).\(b)" }

    /// The pairs of a mapping in document order; keys must be distinct plain strings, and only `allowed`
    /// keys (when given) may appear.
    func mapping(_ node: Node, _ field: String, allowed: Set<String>? = nil) throws -> [(key: String, keyNode: Node, value: Node)] {
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

    func lookup(_ pairs: [(key: String, keyNode: Node, value: Node)], _ key: String) -> Node? {
        pairs.first { $0.key == key }?.value
    }

    func require(_ pairs: [(key: String, keyNode: Node, value: Node)], _ key: String, in node: Node, _ field: String) throws -> Node {
        guard let v = lookup(pairs, key) else { throw fail(node, Self.join(field, key), "missing") }
        return v
    }

    func isNull(_ node: Node) -> Bool {
        if case .scalar(let s) = node, s.style == .plain, ["", "~", "null", "Null", "NULL"].contains(s.string) { return true }
        return false
    }

    func string(_ node: Node, _ field: String) throws -> String {
        guard case .scalar(let s) = node, !isNull(node) else { throw fail(node, field, "expected a string") }
        return s.string
    }

    func identifier(_ node: Node, _ field: String) throws -> String {
        let s = try string(node, field)
        let ok = !s.isEmpty && s.count <= 64 && s.unicodeScalars.allSatisfy {
            CharacterSet.alphanumerics.contains($0) || "._-".unicodeScalars.contains($0)
        }
        if !ok { throw fail(node, field, "'\(s)' is not an identifier (letters, digits, '.', '_', '-'; at most 64)") }
        return s
    }

    func number(_ node: Node, _ field: String) throws -> Double {
        guard case .scalar(let s) = node, s.style == .plain, let v = node.float, v.isFinite else {
            throw fail(node, field, "expected a finite number")
        }
        return v
    }

    func int(_ node: Node, _ field: String, min: Int = Int.min, max: Int = Int.max) throws -> Int {
        guard case .scalar(let s) = node, s.style == .plain, let v = node.int else { throw fail(node, field, "expected an integer") }
        guard v >= min && v <= max else { throw fail(node, field, "\(v) is outside \(min)...\(max)") }
        return v
    }

    func bool(_ node: Node, _ field: String) throws -> Bool {
        guard case .scalar(let s) = node, s.style == .plain, let v = node.bool else { throw fail(node, field, "expected true or false") }
        return v
    }

    func sequence(_ node: Node, _ field: String) throws -> [Node] {
        guard case .sequence(let s) = node else { throw fail(node, field, "expected a list") }
        return Array(s)
    }

    func oneOf(_ node: Node, _ field: String, _ values: [String]) throws -> String {
        let s = try string(node, field)
        guard values.contains(s) else { throw fail(node, field, "'\(s)' is not one of: \(values.joined(separator: ", "))") }
        return s
    }
}
