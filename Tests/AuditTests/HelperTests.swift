import Foundation
import Testing
@testable import Audit
import COCO
import DatasetFormat
import Stats
import Support

/// The log parser's number reading and the truncated normal, against the reference implementations.
@Suite struct HelperTests {
    static func parse(_ text: String) throws -> Double {
        var bytes = Array(text.utf8)
        return try bytes.withUnsafeMutableBufferPointer { b in
            var c = JSONLineCursor(UnsafeBufferPointer(b))
            let x = try c.number()
            #expect(c.pos == b.count, "\(text): stopped at \(c.pos)")
            return x
        }
    }

    /// An escaped key or category decodes on the log's fast path exactly as the JSON reader decodes it
    /// (Python's reading for surrogates: pairs joined, a lone one becomes U+FFFD).
    @Test(arguments: [
        (#"light\u005fintensity"#, "light_intensity"),
        (#"a\"b\\c\/d\n\t\r\b\f"#, "a\"b\\c/d\n\t\r\u{8}\u{c}"),
        (#"smile \ud83d\ude00"#, "smile \u{1F600}"),
        (#"lone \ud83d end"#, "lone \u{FFFD} end"),
        (#"low \ude00"#, "low \u{FFFD}"),
        (#"caf\u00e9"#, "caf\u{E9}"),
    ])
    func escapedStringsDecodeAsTheReaderDoes(body: String, expected: String) throws {
        let quoted = Array("\"\(body)\"".utf8)
        var bytes = quoted
        let fast = try bytes.withUnsafeMutableBufferPointer { b in
            var c = JSONLineCursor(UnsafeBufferPointer(b))
            let r = try c.string()
            #expect(r.escaped)
            return c.decoded(r)
        }
        let reader = try JSONReader(bytes: quoted).readString()
        #expect(fast == expected)
        #expect(fast == reader)
    }

    @Test func numbersAreCorrectlyRounded() throws {
        var rng = CounterRNG(key: 99)
        for i in 0..<20_000 {
            // Shortest round-trip text of random doubles of many magnitudes (what the generator writes)...
            let x = Double(bitPattern: rng.next() & 0x7FEF_FFFF_FFFF_FFFF) * (i % 2 == 0 ? 1 : -1)
            #expect(try Self.parse("\(x)").bitPattern == x.bitPattern, "\(x)")
            // ...and arbitrary literals with up to 25 digits and exponents, against strtod via Double(String).
            func digits(_ n: Int) -> String { String((0..<n).map { _ in Character(String(rng.next() % 10)) }) }
            let intLength = Int(rng.next() % 12)
            var lit = intLength == 0 ? "0" : String(1 + rng.next() % 9) + digits(intLength - 1)
            let fracLength = Int(rng.next() % 20)
            if fracLength > 0 { lit += "." + digits(fracLength) }
            if rng.next() % 2 == 0 { lit += "e\(Int(rng.next() % 80) - 40)" }
            #expect(try Self.parse(lit) == Double(lit)!, "\(lit)")
        }
        #expect(try Self.parse("0") == 0 && (try Self.parse("-0")).sign == .minus)
        #expect(try Self.parse("NaN").isNaN)
        #expect(try Self.parse("-Infinity") == -.infinity)
        #expect(try Self.parse("1E+2") == 100)
        for bad in ["-", "1.", ".5", "1e", "+1", "Inf"] {
            #expect(throws: InputError.self, "\(bad)") { _ = try Self.parse(bad) }
        }
    }

    @Test func truncatedNormalCDF() throws {
        let spec = DeclaredParameter(name: "x", group: "", scope: .frame, components: 1, repeats: .none, randomized: true,
                                     distribution: .normal(mean: 1, std: 0.5), domain: 0...20, unit: "")
        let d = try #require(ParameterChecks.continuous(spec))
        #expect(d.cdf(0) == 0 && d.cdf(20) == 1)
        // Φ(0) − Φ(−2) over 1 − Φ(−2) (the upper cut at 20 is negligible).
        let phi = ContinuousDistribution.normal(mean: 0, sd: 1)
        #expect(abs(d.cdf(1) - (0.5 - phi.cdf(-2)) / (1 - phi.cdf(-2))) < 1e-15)
    }
}
