#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Support

/// The fast path of the JSON reader for one line of a JSON-lines file (randomization.jsonl): a cursor over the
/// line's bytes with just what a streaming log reader needs: whitespace, punctuation, strings (as byte ranges,
/// nothing copied), numbers (`JSONNumberLiteral`, the parser `JSONReader` uses) and skipping any value with its
/// syntax checked. Errors are `InputError`s with the column (1-based); the caller adds the file and line.
public struct JSONLineCursor {
    public let base: UnsafePointer<UInt8>
    public let count: Int
    public var pos = 0

    @inlinable public init(_ buffer: UnsafeBufferPointer<UInt8>) {
        // An empty buffer may have no base address; point at a static byte instead.
        base = buffer.baseAddress ?? JSONLineCursor.emptyByte
        count = buffer.count
    }

    @usableFromInline static let emptyByte: UnsafePointer<UInt8> = {
        let p = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
        p.initialize(to: 0)
        return UnsafePointer(p)
    }()

    /// Next byte after whitespace (not consumed), or -1 at the end.
    @inlinable @inline(__always) public mutating func peek() -> Int {
        while pos < count {
            let c = base[pos]
            if c == 0x20 || c == 0x09 || c == 0x0D || c == 0x0A { pos += 1; continue }
            return Int(c)
        }
        return -1
    }

    /// A syntax error at the cursor; the caller adds the file and line.
    @inlinable public func fail(_ message: String) -> InputError { InputError(file: "", column: pos + 1, message: message) }

    @inlinable public func describe(_ c: Int) -> String {
        if c < 0 { return "end of line" }
        if c >= 0x21 && c < 0x7F { return "'\(Character(Unicode.Scalar(UInt8(c))))'" }
        return String(format: "byte 0x%02x", c)
    }

    @inlinable @inline(__always) public mutating func expect(_ byte: UInt8, _ what: String) throws {
        let c = peek()
        guard c == Int(byte) else { throw fail("expected \(what), found \(describe(c))") }
        pos += 1
    }

    /// After `,` or the closing byte of a container: true when another element follows.
    @inlinable @inline(__always) public mutating func more(close: UInt8) throws -> Bool {
        let c = peek()
        if c == 0x2C { pos += 1; return true }
        if c == Int(close) { pos += 1; return false }
        throw fail("expected ',' or '\(Character(Unicode.Scalar(close)))', found \(describe(c))")
    }

    /// Reads a string whose opening quote is next; returns its raw byte range (escapes not decoded) and
    /// whether it contains escapes.
    @inlinable public mutating func string() throws -> (start: Int, end: Int, escaped: Bool) {
        try expect(0x22, "a string")
        let start = pos
        var escaped = false
        while pos < count {
            let c = base[pos]
            if c == 0x22 { pos += 1; return (start, pos - 1, escaped) }
            if c == 0x5C {
                escaped = true
                pos += 1
                guard pos < count else { break }
                let e = base[pos]
                if e == 0x75 {
                    guard pos + 4 < count else { throw fail("truncated \\u escape") }
                    for k in 1...4 where !isHex(base[pos + k]) { throw fail("invalid \\u escape") }
                    pos += 5
                    continue
                }
                guard [0x22, 0x5C, 0x2F, 0x62, 0x66, 0x6E, 0x72, 0x74].contains(e) else { throw fail("invalid escape") }
                pos += 1
                continue
            }
            if c < 0x20 { throw fail("control character in a string") }
            pos += 1
        }
        throw fail("unterminated string")
    }

    @inlinable func isHex(_ c: UInt8) -> Bool { (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66) }

    /// The decoded text of a string range (escapes resolved), for the rare escaped key or category. Escapes have
    /// one decoder, `JSONReader`'s (surrogate pairs joined, a lone surrogate read as U+FFFD, as Python reads it),
    /// so a key means the same here as in every other reader.
    public func decoded(_ r: (start: Int, end: Int, escaped: Bool)) -> String {
        let raw = UnsafeBufferPointer(start: base + r.start, count: r.end - r.start)
        if !r.escaped { return String(decoding: raw, as: UTF8.self) }
        // `string()` checked the escapes, so the reader accepts the quoted range.
        return (try? JSONReader(bytes: [0x22] + Array(raw) + [0x22]).readString()) ?? String(decoding: raw, as: UTF8.self)
    }

    /// True when the string range equals `name` byte for byte.
    @inlinable @inline(__always) public func equals(_ r: (start: Int, end: Int, escaped: Bool), _ name: [UInt8]) -> Bool {
        let n = r.end - r.start
        guard n == name.count else { return false }
        return name.withUnsafeBufferPointer { p in memcmp(base + r.start, p.baseAddress!, n) == 0 }
    }

    /// Reads a JSON number (also NaN, Infinity, -Infinity, as Python writes them), correctly rounded.
    @inlinable public mutating func number() throws -> Double {
        _ = peek()
        let start = pos
        var negative = false
        if pos < count && base[pos] == 0x2D { negative = true; pos += 1 }
        if pos < count && (base[pos] == 0x4E || base[pos] == 0x49) {
            if matchWord("NaN") { return .nan }
            if matchWord("Infinity") { return negative ? -.infinity : .infinity }
            throw fail("invalid number")
        }
        var end = pos
        while end < count && JSONNumberLiteral.isNumberByte(base[end]) { end += 1 }
        let value: Double
        do { value = try JSONNumberLiteral.parse(UnsafeBufferPointer(start: base + start, count: end - start)).value }
        catch let e as JSONNumberLiteral.Invalid { throw fail(e.message) }
        pos = end
        // An integer literal "-0" keeps its sign, as a float's does.
        return negative && value == 0 ? -0.0 : value
    }

    @inlinable mutating func matchWord(_ w: StaticString) -> Bool {
        let n = w.utf8CodeUnitCount
        guard pos + n <= count, memcmp(base + pos, w.utf8Start, n) == 0 else { return false }
        pos += n
        return true
    }

    @inlinable public mutating func literal(_ w: StaticString) throws {
        guard matchWord(w) else { throw fail("invalid literal (expected '\(w)')") }
    }

    /// Skips any value, checking its syntax.
    @inlinable public mutating func skipValue(depth: Int = 0) throws {
        guard depth < 64 else { throw fail("nesting deeper than 64") }
        let c = peek()
        switch c {
        case 0x7B:
            pos += 1
            if peek() == 0x7D { pos += 1; return }
            repeat {
                _ = try string()
                try expect(0x3A, "':'")
                try skipValue(depth: depth + 1)
            } while try more(close: 0x7D)
        case 0x5B:
            pos += 1
            if peek() == 0x5D { pos += 1; return }
            repeat { try skipValue(depth: depth + 1) } while try more(close: 0x5D)
        case 0x22: _ = try string()
        case 0x2D, 0x30...0x39, 0x4E, 0x49: _ = try number()
        case 0x74: try literal("true")
        case 0x66: try literal("false")
        case 0x6E: try literal("null")
        default: throw fail("expected a value, found \(describe(c))")
        }
    }
}
