import Foundation
import Support
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A JSON number as written: its Double value, and its exact value when the literal is an integer that fits
/// in Int64. `isIntegerLiteral` is true for literals without fraction or exponent (including integers too
/// large for Int64, whose `integer` is nil). `NaN`, `Infinity` and `-Infinity` (written by Python's json
/// module, not JSON) are read as non-finite numbers with `isNonStandard` set.
public struct JSONNumber: Equatable, Sendable, CustomStringConvertible {
    public var value: Double
    public var integer: Int64?
    public var isIntegerLiteral: Bool
    public var isNonStandard: Bool

    public init(_ value: Double) {
        self.value = value; integer = nil; isIntegerLiteral = false; isNonStandard = false
    }
    public init(integer: Int64) {
        value = Double(integer); self.integer = integer; isIntegerLiteral = true; isNonStandard = false
    }
    init(value: Double, integer: Int64?, isIntegerLiteral: Bool, isNonStandard: Bool) {
        self.value = value; self.integer = integer; self.isIntegerLiteral = isIntegerLiteral
        self.isNonStandard = isNonStandard
    }

    public var description: String {
        if let integer { return String(integer) }
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Infinity" : "Infinity" }
        if isIntegerLiteral, value == value.rounded(), abs(value) < 1e300 { return String(format: "%.0f", value) }
        return "\(value)"
    }
}

/// The kind of the next value in the input.
public enum JSONKind: String, Sendable {
    case object, array, string, number, bool, null
}

/// A pull reader over JSON bytes that never holds more than one chunk of the file (plus the value being
/// materialized) in memory. It tracks line and column for error messages. The caller walks containers with
/// `beginObject`/`nextKey` and `beginArray`/`nextElement`, and reads scalars, whole values
/// (`readValue`) or skips them (`skipValue`, which still checks the syntax).
public final class JSONReader {
    public let file: String?
    /// Containers nested deeper than this are a syntax error (protects the stack).
    public static let maxDepth = 512

    private var buf: UnsafeMutablePointer<UInt8>
    private let capacity: Int
    private var pos = 0
    private var end = 0
    private var base = 0
    private var fd: Int32 = -1
    private var atEOF = false
    private var ioError: String?
    private var line = 1
    private var lineStart = 0
    private var firstInContainer = false
    private var scratch: [UInt8] = []
    private var numberBytes: [UInt8] = []
    /// Elements and members of the containers being materialized: each container is copied out once, at
    /// its final size (no growth reallocations).
    private var valueStack: [JSONValue] = []
    private var memberStack: [(key: String, value: JSONValue)] = []

    /// Reads the file at `path` in chunks of `chunkSize` bytes.
    public init(path: String, chunkSize: Int = 1 << 20) throws {
        file = path
        fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            let e = errno
            throw InputError(file: path, message: "cannot open: \(String(cString: strerror(e)))")
        }
        var st = stat()
        if fstat(fd, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR {
            close(fd); fd = -1
            throw InputError(file: path, message: "is a directory")
        }
        capacity = max(64, chunkSize)
        buf = .allocate(capacity: capacity)
    }

    /// Reads from memory.
    public init(bytes: [UInt8], file: String? = nil) {
        self.file = file
        capacity = max(1, bytes.count)
        buf = .allocate(capacity: capacity)
        bytes.withUnsafeBufferPointer { p in
            if let b = p.baseAddress { buf.update(from: b, count: p.count) }
        }
        end = bytes.count
        atEOF = true
    }

    deinit {
        buf.deallocate()
        if fd >= 0 { close(fd) }
    }

    // MARK: - Position

    /// Line (from 1) of the next unread byte.
    public var currentLine: Int { line }
    /// Column (bytes, from 1) of the next unread byte.
    public var currentColumn: Int { base + pos - lineStart + 1 }
    /// Bytes consumed so far.
    public var offset: Int { base + pos }

    /// Skips whitespace and returns the line and column where the next token starts.
    public func nextTokenPosition() -> (line: Int, column: Int) {
        _ = skipWhitespace()
        return (line, currentColumn)
    }

    /// A syntax (or read) error at the next unread byte: an `InputError` whose message ends "(not valid JSON)".
    public func error(_ message: String) -> InputError {
        error(message, line: line, column: currentColumn)
    }

    func error(_ message: String, line: Int, column: Int) -> InputError {
        var m = message
        if let ioError { m += " (\(ioError))" }
        return InputError(file: file ?? "<input>", line: line, column: column, message: m + " (not valid JSON)")
    }

    // MARK: - Bytes

    @inline(__always)
    private func refill() -> Bool {
        if atEOF { return false }
        base += end
        pos = 0
        end = 0
        while true {
            let n = read(fd, buf, capacity)
            if n < 0 {
                if errno == EINTR { continue }
                ioError = "read failed: \(String(cString: strerror(errno)))"
                atEOF = true
                return false
            }
            if n == 0 { atEOF = true; return false }
            end = n
            return true
        }
    }

    /// The next byte without consuming it, or -1 at the end of input.
    @inline(__always)
    private func peekByte() -> Int {
        if pos == end && !refill() { return -1 }
        return Int(buf[pos])
    }

    /// Skips JSON whitespace; returns the next byte (not consumed) or -1 at the end.
    @inline(__always)
    private func skipWhitespace() -> Int {
        while true {
            if pos == end && !refill() { return -1 }
            let c = buf[pos]
            if c > 0x20 { return Int(c) }
            if c == 0x20 || c == 0x09 || c == 0x0D { pos += 1 }
            else if c == 0x0A { pos += 1; line += 1; lineStart = base + pos }
            else { return Int(c) }
        }
    }

    private func describe(_ c: Int) -> String {
        if c < 0 { return "end of input" }
        if c >= 0x21 && c < 0x7F { return "'\(Character(UnicodeScalar(UInt8(c))))'" }
        return "byte 0x" + String(c, radix: 16)
    }

    // MARK: - Kinds and containers

    /// The kind of the next value (after whitespace); a syntax error when no value starts there.
    public func peekKind() throws -> JSONKind {
        let c = skipWhitespace()
        switch c {
        case 0x7B: return .object
        case 0x5B: return .array
        case 0x22: return .string
        case 0x2D, 0x30...0x39, 0x4E, 0x49: return .number
        case 0x74, 0x66: return .bool
        case 0x6E: return .null
        default: throw error("expected a value, found \(describe(c))")
        }
    }

    /// Consumes `{`.
    public func beginObject() throws {
        let c = skipWhitespace()
        guard c == 0x7B else { throw error("expected '{', found \(describe(c))") }
        pos += 1
        firstInContainer = true
    }

    /// The next key of the current object (consuming the `:` after it), or nil after consuming `}`.
    public func nextKey() throws -> String? {
        var c = skipWhitespace()
        if firstInContainer {
            firstInContainer = false
            if c == 0x7D { pos += 1; return nil }
        } else {
            if c == 0x7D { pos += 1; return nil }
            guard c == 0x2C else { throw error("expected ',' or '}' in object, found \(describe(c))") }
            pos += 1
            c = skipWhitespace()
        }
        guard c == 0x22 else { throw error("expected a string key, found \(describe(c))") }
        pos += 1
        let key = try readStringBody()
        let d = skipWhitespace()
        guard d == 0x3A else { throw error("expected ':' after key, found \(describe(d))") }
        pos += 1
        return key
    }

    /// Consumes `[`.
    public func beginArray() throws {
        let c = skipWhitespace()
        guard c == 0x5B else { throw error("expected '[', found \(describe(c))") }
        pos += 1
        firstInContainer = true
    }

    /// True when another element follows (its separator consumed); false after consuming `]`.
    public func nextElement() throws -> Bool {
        let c = skipWhitespace()
        if firstInContainer {
            firstInContainer = false
            if c == 0x5D { pos += 1; return false }
            return true
        }
        if c == 0x5D { pos += 1; return false }
        guard c == 0x2C else { throw error("expected ',' or ']' in array, found \(describe(c))") }
        pos += 1
        let d = skipWhitespace()
        if d == 0x5D { throw error("trailing ',' before ']'") }
        return true
    }

    /// After the top-level value: only whitespace may follow.
    public func finish() throws {
        let c = skipWhitespace()
        if c >= 0 { throw error("unexpected \(describe(c)) after the top-level value") }
        if let ioError { throw error(ioError) }
    }

    // MARK: - Scalars

    public func readString() throws -> String {
        let c = skipWhitespace()
        guard c == 0x22 else { throw error("expected a string, found \(describe(c))") }
        pos += 1
        return try readStringBody()
    }

    public func readNumber() throws -> JSONNumber {
        _ = skipWhitespace()
        return try readNumberToken()
    }

    public func readBool() throws -> Bool {
        let c = skipWhitespace()
        if c == 0x74 { try literal("true"); return true }
        if c == 0x66 { try literal("false"); return false }
        throw error("expected true or false, found \(describe(c))")
    }

    public func readNull() throws {
        let c = skipWhitespace()
        guard c == 0x6E else { throw error("expected null, found \(describe(c))") }
        try literal("null")
    }

    private func literal(_ word: StaticString) throws {
        let p = word.utf8Start
        for i in 0..<word.utf8CodeUnitCount {
            let c = peekByte()
            guard c == Int(p[i]) else {
                throw error("invalid literal (expected '\(word)'), found \(describe(c))")
            }
            pos += 1
        }
        try checkDelimiter()
    }

    /// A literal or number must be followed by whitespace, a structural character or the end.
    @inline(__always)
    private func checkDelimiter() throws {
        let c = peekByte()
        switch c {
        case -1, 0x20, 0x09, 0x0A, 0x0D, 0x2C, 0x5D, 0x7D, 0x3A: return
        default: throw error("unexpected \(describe(c)) after a value")
        }
    }

    /// Reads the rest of a string whose opening quote was consumed.
    private func readStringBody() throws -> String {
        let start = pos
        var i = pos
        while i < end {
            let c = buf[i]
            if c == 0x22 {
                let s = String(decoding: UnsafeBufferPointer(start: buf + start, count: i - start), as: UTF8.self)
                pos = i + 1
                return s
            }
            if c == 0x5C || c < 0x20 || c >= 0x80 { break }
            i += 1
        }
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: UnsafeBufferPointer(start: buf + start, count: i - start))
        pos = i
        try scanStringTail(into: true)
        return String(decoding: scratch, as: UTF8.self)
    }

    /// Scans to the closing quote, decoding escapes into `scratch` when `collect`.
    private func scanStringTail(into collect: Bool) throws {
        while true {
            if pos == end && !refill() { throw error("unterminated string") }
            // Fast run of plain bytes inside the buffer.
            var i = pos
            while i < end {
                let c = buf[i]
                if c == 0x22 || c == 0x5C || c < 0x20 || c >= 0x80 { break }
                i += 1
            }
            if collect && i > pos { scratch.append(contentsOf: UnsafeBufferPointer(start: buf + pos, count: i - pos)) }
            pos = i
            if pos == end { continue }
            let c = buf[pos]
            if c == 0x22 { pos += 1; return }
            if c < 0x20 { throw error("control character \(describe(Int(c))) in string") }
            if c >= 0x80 { try utf8Sequence(collect); continue }
            // Escape.
            pos += 1
            let e = peekByte()
            pos += 1
            switch e {
            case 0x22, 0x5C, 0x2F: if collect { scratch.append(UInt8(e)) }
            case 0x62: if collect { scratch.append(0x08) }
            case 0x66: if collect { scratch.append(0x0C) }
            case 0x6E: if collect { scratch.append(0x0A) }
            case 0x72: if collect { scratch.append(0x0D) }
            case 0x74: if collect { scratch.append(0x09) }
            case 0x75:
                var scalar = try hex4()
                if scalar >= 0xD800 && scalar < 0xDC00 {
                    // High surrogate: a low one should follow; a lone one becomes U+FFFD (as Python reads it).
                    if peekByte() == 0x5C {
                        pos += 1
                        if peekByte() == 0x75 {
                            pos += 1
                            let low = try hex4()
                            if low >= 0xDC00 && low < 0xE000 {
                                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                            } else {
                                if collect { appendScalar(0xFFFD) }
                                scalar = low >= 0xD800 && low < 0xE000 ? 0xFFFD : low
                            }
                        } else {
                            // Not \u: leave the backslash for the next round.
                            pos -= 1
                            scalar = 0xFFFD
                        }
                    } else {
                        scalar = 0xFFFD
                    }
                } else if scalar >= 0xDC00 && scalar < 0xE000 {
                    scalar = 0xFFFD
                }
                if collect { appendScalar(scalar) }
            default:
                pos -= 1
                throw error("invalid escape \\\(e < 0 ? "" : describe(e)) in string")
            }
        }
    }

    /// Checks (and with `collect` copies) one multi-byte UTF-8 sequence: JSON text must be UTF-8, and
    /// Python's json (hence pycocotools) refuses files that are not.
    private func utf8Sequence(_ collect: Bool) throws {
        let lead = buf[pos]
        var lo: UInt8 = 0x80, hi: UInt8 = 0xBF
        let n: Int
        switch lead {
        case 0xC2...0xDF: n = 1
        case 0xE0: n = 2; lo = 0xA0
        case 0xE1...0xEC, 0xEE, 0xEF: n = 2
        case 0xED: n = 2; hi = 0x9F
        case 0xF0: n = 3; lo = 0x90
        case 0xF1...0xF3: n = 3
        case 0xF4: n = 3; hi = 0x8F
        default: throw error("invalid UTF-8 byte 0x\(String(lead, radix: 16)) in string")
        }
        if collect { scratch.append(lead) }
        pos += 1
        for k in 0..<n {
            let c = peekByte()
            guard c >= Int(k == 0 ? lo : 0x80) && c <= Int(k == 0 ? hi : 0xBF) else {
                throw error("invalid UTF-8 sequence in string")
            }
            if collect { scratch.append(UInt8(c)) }
            pos += 1
        }
    }

    private func hex4() throws -> UInt32 {
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = peekByte()
            let d: Int
            switch c {
            case 0x30...0x39: d = c - 0x30
            case 0x41...0x46: d = c - 0x41 + 10
            case 0x61...0x66: d = c - 0x61 + 10
            default: throw error("invalid \\u escape: \(describe(c))")
            }
            v = v << 4 | UInt32(d)
            pos += 1
        }
        return v
    }

    private func appendScalar(_ v: UInt32) {
        if v < 0x80 { scratch.append(UInt8(v)) }
        else if v < 0x800 { scratch.append(UInt8(0xC0 | (v >> 6))); scratch.append(UInt8(0x80 | (v & 0x3F))) }
        else if v < 0x10000 {
            scratch.append(UInt8(0xE0 | (v >> 12))); scratch.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
            scratch.append(UInt8(0x80 | (v & 0x3F)))
        } else {
            scratch.append(UInt8(0xF0 | (v >> 18))); scratch.append(UInt8(0x80 | ((v >> 12) & 0x3F)))
            scratch.append(UInt8(0x80 | ((v >> 6) & 0x3F))); scratch.append(UInt8(0x80 | (v & 0x3F)))
        }
    }

    /// Reads a number starting at the current byte.
    private func readNumberToken() throws -> JSONNumber {
        let c0 = peekByte()
        if c0 == 0x4E { try literal("NaN"); return JSONNumber(value: .nan, integer: nil, isIntegerLiteral: false, isNonStandard: true) }
        if c0 == 0x49 { try literal("Infinity"); return JSONNumber(value: .infinity, integer: nil, isIntegerLiteral: false, isNonStandard: true) }
        if c0 == 0x2D && pos + 1 < end && buf[pos + 1] == 0x49 {
            pos += 1
            try literal("Infinity")
            return JSONNumber(value: -.infinity, integer: nil, isIntegerLiteral: false, isNonStandard: true)
        }
        // Parse in place when the token ends inside the buffer, else collect it through `numberBytes`.
        if let (r, n) = try parseNumber(UnsafeBufferPointer(start: buf + pos, count: end - pos), final: atEOF) {
            pos += n
            try checkDelimiter()
            return r
        }
        numberBytes.removeAll(keepingCapacity: true)
        while true {
            if pos == end && !refill() { break }
            let c = buf[pos]
            if !JSONNumberLiteral.isNumberByte(c) { break }
            numberBytes.append(c)
            pos += 1
            if numberBytes.count > 4096 { throw error("number literal too long") }
        }
        let start = pos - numberBytes.count
        let r = try numberBytes.withUnsafeBufferPointer { p -> JSONNumber in
            guard let (r, n) = try parseNumber(p, final: true), n == p.count else {
                throw error("invalid number", line: line, column: start - lineStart + 1)
            }
            return r
        }
        try checkDelimiter()
        return r
    }

    /// Parses the number literal at the start of `p` (exact, correctly rounded) and returns it with its length.
    /// Returns nil when the literal may continue past the end of `p` and `final` is false.
    @inline(__always)
    private func parseNumber(_ p: UnsafeBufferPointer<UInt8>, final: Bool) throws -> (JSONNumber, Int)? {
        let n = p.count
        // The token's extent (as the slow path collects it): reaching the end of `p` means it may go on.
        var stop = 0
        while stop < n && JSONNumberLiteral.isNumberByte(p[stop]) { stop += 1 }
        if stop == n && !final { return nil }
        return (try parseNumberToken(UnsafeBufferPointer(rebasing: p[0..<stop])), stop)
    }

    /// Parses a complete number literal (the shared `JSONNumberLiteral` parser), placing its errors.
    @inline(__always)
    private func parseNumberToken(_ p: UnsafeBufferPointer<UInt8>) throws -> JSONNumber {
        do { return try JSONNumberLiteral.parse(p) } catch let e as JSONNumberLiteral.Invalid { throw error(e.message) }
    }

    // MARK: - Whole values

    /// Materializes the next value.
    public func readValue() throws -> JSONValue {
        try readValue(depth: 0)
    }

    private func readValue(depth: Int) throws -> JSONValue {
        let c = skipWhitespace()
        switch c {
        case 0x7B:
            if depth >= JSONReader.maxDepth { throw error("nesting deeper than \(JSONReader.maxDepth)") }
            pos += 1
            var d = skipWhitespace()
            if d == 0x7D { pos += 1; return .object(JSONObject([])) }
            let base = memberStack.count
            defer { memberStack.removeSubrange(base...) }
            while true {
                guard d == 0x22 else { throw error("expected a string key, found \(describe(d))") }
                pos += 1
                let key = try readStringBody()
                let e = skipWhitespace()
                guard e == 0x3A else { throw error("expected ':' after key, found \(describe(e))") }
                pos += 1
                let v = try readValue(depth: depth + 1)
                memberStack.append((key, v))
                let f = skipWhitespace()
                if f == 0x7D { pos += 1; return .object(JSONObject(Array(memberStack[base...]))) }
                guard f == 0x2C else { throw error("expected ',' or '}' in object, found \(describe(f))") }
                pos += 1
                d = skipWhitespace()
            }
        case 0x5B:
            if depth >= JSONReader.maxDepth { throw error("nesting deeper than \(JSONReader.maxDepth)") }
            pos += 1
            if skipWhitespace() == 0x5D { pos += 1; return .array([]) }
            let base = valueStack.count
            defer { valueStack.removeSubrange(base...) }
            while true {
                let v = try readValue(depth: depth + 1)
                valueStack.append(v)
                let f = skipWhitespace()
                if f == 0x5D { pos += 1; return .array(Array(valueStack[base...])) }
                guard f == 0x2C else { throw error("expected ',' or ']' in array, found \(describe(f))") }
                pos += 1
                if skipWhitespace() == 0x5D { throw error("trailing ',' before ']'") }
            }
        case 0x22:
            pos += 1
            return .string(try readStringBody())
        case 0x2D, 0x30...0x39, 0x4E, 0x49:
            return .number(try readNumberToken())
        case 0x74: try literal("true"); return .bool(true)
        case 0x66: try literal("false"); return .bool(false)
        case 0x6E: try literal("null"); return .null
        default:
            throw error("expected a value, found \(describe(c))")
        }
    }

    /// Skips the next value, checking its syntax.
    public func skipValue() throws {
        try skipValue(depth: 0)
    }

    private func skipValue(depth: Int) throws {
        let c = skipWhitespace()
        switch c {
        case 0x7B:
            if depth >= JSONReader.maxDepth { throw error("nesting deeper than \(JSONReader.maxDepth)") }
            pos += 1
            var d = skipWhitespace()
            if d == 0x7D { pos += 1; return }
            while true {
                guard d == 0x22 else { throw error("expected a string key, found \(describe(d))") }
                pos += 1
                try scanStringTail(into: false)
                let e = skipWhitespace()
                guard e == 0x3A else { throw error("expected ':' after key, found \(describe(e))") }
                pos += 1
                try skipValue(depth: depth + 1)
                let f = skipWhitespace()
                if f == 0x7D { pos += 1; return }
                guard f == 0x2C else { throw error("expected ',' or '}' in object, found \(describe(f))") }
                pos += 1
                d = skipWhitespace()
            }
        case 0x5B:
            if depth >= JSONReader.maxDepth { throw error("nesting deeper than \(JSONReader.maxDepth)") }
            pos += 1
            if skipWhitespace() == 0x5D { pos += 1; return }
            while true {
                try skipValue(depth: depth + 1)
                let f = skipWhitespace()
                if f == 0x5D { pos += 1; return }
                guard f == 0x2C else { throw error("expected ',' or ']' in array, found \(describe(f))") }
                pos += 1
                if skipWhitespace() == 0x5D { throw error("trailing ',' before ']'") }
            }
        case 0x22:
            pos += 1
            try scanStringTail(into: false)
        case 0x2D, 0x30...0x39, 0x4E, 0x49:
            _ = try readNumberToken()
        case 0x74: try literal("true")
        case 0x66: try literal("false")
        case 0x6E: try literal("null")
        default:
            throw error("expected a value, found \(describe(c))")
        }
    }
}

/// The one parser of JSON number literals, shared by `JSONReader` (files) and `JSONLineCursor` (log lines).
@usableFromInline enum JSONNumberLiteral {
    @usableFromInline struct Invalid: Error { @usableFromInline var message: String }

    static let pow10: [Double] = (0...22).map { i in
        var x = 1.0
        for _ in 0..<i { x *= 10 }
        return x
    }

    /// Bytes a number literal may contain.
    @inlinable @inline(__always)
    static func isNumberByte(_ c: UInt8) -> Bool {
        (c >= 0x30 && c <= 0x39) || c == 0x2E || c == 0x2D || c == 0x2B || c == 0x65 || c == 0x45
    }

    /// Parses a complete number literal; exact (correctly rounded) for every input.
    @usableFromInline @inline(__always)
    static func parse(_ p: UnsafeBufferPointer<UInt8>) throws -> JSONNumber {
        let n = p.count
        var i = 0
        var negative = false
        if i < n && p[i] == 0x2D { negative = true; i += 1 }
        guard i < n, p[i] >= 0x30 && p[i] <= 0x39 else { throw Invalid(message: "invalid number") }
        var mantissa: UInt64 = 0
        var digits = 0          // significant digits held in `mantissa`
        var exp10 = 0
        var truncated = false
        if p[i] == 0x30 {
            i += 1
            if i < n && p[i] >= 0x30 && p[i] <= 0x39 { throw Invalid(message: "invalid number (leading zero)") }
        } else {
            while i < n && p[i] >= 0x30 && p[i] <= 0x39 {
                let d = UInt64(p[i] - 0x30)
                if digits < 19 { mantissa = mantissa &* 10 &+ d; digits += 1 }
                else { exp10 += 1; if d != 0 { truncated = true } }
                i += 1
            }
        }
        var integerLiteral = true
        if i < n && p[i] == 0x2E {
            integerLiteral = false
            i += 1
            guard i < n, p[i] >= 0x30 && p[i] <= 0x39 else { throw Invalid(message: "invalid number (digit expected after '.')") }
            while i < n && p[i] >= 0x30 && p[i] <= 0x39 {
                let d = UInt64(p[i] - 0x30)
                if mantissa == 0 && d == 0 { exp10 -= 1 }
                else if digits < 19 { mantissa = mantissa &* 10 &+ d; digits += 1; exp10 -= 1 }
                else if d != 0 { truncated = true }
                i += 1
            }
        }
        if i < n && (p[i] == 0x65 || p[i] == 0x45) {
            integerLiteral = false
            i += 1
            var eneg = false
            if i < n && (p[i] == 0x2B || p[i] == 0x2D) { eneg = p[i] == 0x2D; i += 1 }
            guard i < n, p[i] >= 0x30 && p[i] <= 0x39 else { throw Invalid(message: "invalid number (digit expected in exponent)") }
            var e = 0
            while i < n && p[i] >= 0x30 && p[i] <= 0x39 {
                if e < 100_000 { e = e * 10 + Int(p[i] - 0x30) }
                i += 1
            }
            exp10 += eneg ? -e : e
        }
        guard i == n else { throw Invalid(message: "invalid number") }

        if integerLiteral && !truncated && exp10 == 0 {
            // Fits in 19 digits: exact Int64 when in range.
            if negative {
                if mantissa <= UInt64(Int64.max) + 1 {
                    let v = mantissa == UInt64(Int64.max) + 1 ? Int64.min : -Int64(mantissa)
                    return JSONNumber(value: Double(v), integer: v, isIntegerLiteral: true, isNonStandard: false)
                }
            } else if mantissa <= UInt64(Int64.max) {
                return JSONNumber(value: Double(Int64(mantissa)), integer: Int64(mantissa), isIntegerLiteral: true,
                                  isNonStandard: false)
            }
        }
        var value: Double
        if !truncated && mantissa <= (1 << 53) && exp10 >= -22 && exp10 <= 22 {
            value = Double(mantissa)
            if exp10 < 0 { value /= pow10[-exp10] } else if exp10 > 0 { value *= pow10[exp10] }
            if negative { value = -value }
        } else if mantissa == 0 && !truncated {
            value = negative ? -0.0 : 0.0
        } else {
            // Exact conversion of the literal, NUL-terminated on the stack (no heap allocation per number).
            value = withUnsafeTemporaryAllocation(of: CChar.self, capacity: n + 1) { text in
                for k in 0..<n { text[k] = CChar(bitPattern: p[k]) }
                text[n] = 0
                return strtod(text.baseAddress!, nil)
            }
        }
        return JSONNumber(value: value, integer: nil, isIntegerLiteral: integerLiteral, isNonStandard: false)
    }

}
