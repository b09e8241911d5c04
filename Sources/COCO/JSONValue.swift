import Support

/// An object's members in file order. Lookups return the last member with the key (as Python's json does).
public struct JSONObject: Sendable {
    public var members: [(key: String, value: JSONValue)]

    public init(_ members: [(key: String, value: JSONValue)]) { self.members = members }

    /// String equality with a length test first: keys of different lengths (most mismatches) are rejected
    /// without the full comparison.
    @inline(__always)
    static func same(_ a: String, _ b: String) -> Bool {
        a.utf8.count == b.utf8.count && a == b
    }

    public subscript(key: String) -> JSONValue? {
        var i = members.count - 1
        while i >= 0 {
            if JSONObject.same(members[i].key, key) { return members[i].value }
            i -= 1
        }
        return nil
    }

    public func has(_ key: String) -> Bool { self[key] != nil }

    /// True when some key occurs more than once (no allocation).
    public var hasDuplicateKeys: Bool {
        let n = members.count
        if n < 2 { return false }
        for i in 1..<n {
            for j in 0..<i where JSONObject.same(members[i].key, members[j].key) { return true }
        }
        return false
    }

    /// Keys that occur more than once.
    public var duplicateKeys: [String] {
        if !hasDuplicateKeys { return [] }
        var seen: [String] = []
        var dups: [String] = []
        for m in members {
            if seen.contains(m.key) { if !dups.contains(m.key) { dups.append(m.key) } } else { seen.append(m.key) }
        }
        return dups
    }
}

/// One materialized JSON value (an image, an annotation or a category: never a whole file).
public enum JSONValue: Sendable {
    case null
    case bool(Bool)
    case number(JSONNumber)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    public var kind: JSONKind {
        switch self {
        case .null: return .null
        case .bool: return .bool
        case .number: return .number
        case .string: return .string
        case .array: return .array
        case .object: return .object
        }
    }

    public var number: JSONNumber? { if case .number(let n) = self { return n }; return nil }
    public var double: Double? { if case .number(let n) = self { return n.value }; return nil }
    public var string: String? { if case .string(let s) = self { return s }; return nil }
    public var array: [JSONValue]? { if case .array(let a) = self { return a }; return nil }
    public var object: JSONObject? { if case .object(let o) = self { return o }; return nil }

    public subscript(key: String) -> JSONValue? { object?[key] }

    /// Compact JSON text, cut to about `limit` bytes (with "…" when cut).
    public func text(limit: Int = 200) -> String {
        var out = ""
        write(to: &out, limit: limit)
        if out.utf8.count > limit {
            out = String(decoding: Array(out.utf8.prefix(limit)), as: UTF8.self) + "…"
        }
        return out
    }

    private func write(to out: inout String, limit: Int) {
        if out.utf8.count > limit { return }
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let n): out += n.description
        case .string(let s): out += JSONText.string(s)
        case .array(let a):
            out += "["
            for (i, v) in a.enumerated() {
                if i > 0 { out += "," }
                if out.utf8.count > limit { break }
                v.write(to: &out, limit: limit)
            }
            out += "]"
        case .object(let o):
            out += "{"
            for (i, m) in o.members.enumerated() {
                if i > 0 { out += "," }
                if out.utf8.count > limit { break }
                out += JSONText.string(m.key) + ":"
                m.value.write(to: &out, limit: limit)
            }
            out += "}"
        }
    }

    public var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "boolean"
        case .number: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }
}
