import Foundation
import Testing
@testable import COCO
import Support

@Suite struct JSONReaderTests {
    func value(_ s: String, chunk: Int? = nil) throws -> JSONValue {
        let r: JSONReader
        if let chunk {
            let url = FileManager.default.temporaryDirectory.appendingPathComponent("jr-\(UUID().uuidString).json")
            try s.write(to: url, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(at: url) }
            r = try JSONReader(path: url.path, chunkSize: chunk)
            let v = try r.readValue()
            try r.finish()
            return v
        }
        r = JSONReader(bytes: bytes(s))
        let v = try r.readValue()
        try r.finish()
        return v
    }

    @Test(arguments: ["0", "-0", "1", "-1", "3.14159", "1e10", "1E-7", "2.5e+3", "0.1", "123456789012345678",
                      "9007199254740993", "1.7976931348623157e308", "5e-324", "4.9406564584124654e-324",
                      "0.30000000000000004", "123.456e-300", "2.2250738585072011e-308", "1234567890123456789012345",
                      "0.000001234567890123456789", "-9223372036854775808", "9223372036854775807"])
    func numbersAreCorrectlyRounded(_ s: String) throws {
        let v = try value(s)
        #expect(v.double! == strtod(s, nil) || (v.double!.isZero && strtod(s, nil).isZero))
    }

    @Test func integersKeepExactValues() throws {
        #expect(try value("9223372036854775807").number?.integer == Int64.max)
        #expect(try value("-9223372036854775808").number?.integer == Int64.min)
        let big = try value("150286502594948013790439241001602121728").number!
        #expect(big.integer == nil && big.isIntegerLiteral)
        #expect(try value("5.0").number?.isIntegerLiteral == false)
        #expect(try value("5e0").number?.integer == nil)
    }

    @Test func pythonNonFiniteLiteralsAreRead() throws {
        #expect(try value("NaN").double!.isNaN)
        #expect(try value("Infinity").double! == .infinity)
        #expect(try value("[-Infinity]").array![0].double! == -.infinity)
        #expect(try value("1e999").double! == .infinity)
    }

    @Test func stringsAndEscapes() throws {
        #expect(try value(#""a\"b\\c\/d\n\t\u00e9\ud83d\ude00""#).string == "a\"b\\c/d\n\té😀")
        #expect(try value(#""\ud800x""#).string == "\u{FFFD}x")
        #expect(try value("\"héllo\"").string == "héllo")
        #expect(try value("\"日本語 𝄞\"", chunk: 1).string == "日本語 𝄞")
        for bad: [UInt8] in [[0x22, 0xFF, 0x22], [0x22, 0xC3, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22], [0x22, 0x80, 0x22]] {
            #expect(throws: InputError.self) { _ = try JSONReader(bytes: bad).readValue() }
        }
    }

    @Test func objectsKeepOrderAndLastDuplicateWins() throws {
        let v = try value(#"{"b":1,"a":[true,false,null],"b":2}"#)
        #expect(v.object!.members.map(\.key) == ["b", "a", "b"])
        #expect(v["b"]?.double == 2)
        #expect(v.object!.duplicateKeys == ["b"])
    }

    @Test(arguments: [1, 2, 3, 7, 64])
    func chunkBoundariesDoNotMatter(_ chunk: Int) throws {
        let s = #"{"key with spaces":[1.5,-2e-3,"x\"y",{"n":null,"t":true}],"long":"\#(String(repeating: "ab", count: 50))","num":12345678901234567890}"#
        #expect(try value(s, chunk: chunk).text(limit: 10_000) == (try value(s)).text(limit: 10_000))
    }

    @Test(arguments: [
        ("{\"a\":1,}", 1, 8), ("[1,2,]", 1, 6), ("{\"a\" 1}", 1, 6), ("[01]", 1, 2), ("[1.]", 1, 2),
        ("{\"a\":tru}", 1, 9), ("\n\n  [1 2]", 3, 6), ("\"abc", 1, 5), ("[1]x", 1, 4), ("{\"a\":\"\u{01}\"}", 1, 7),
        ("", 1, 1), ("[\"\\q\"]", 1, 4), ("[-]", 1, 2), ("[1e]", 1, 2),
    ])
    func syntaxErrorsAreLocated(_ c: (String, Int, Int)) {
        #expect {
            _ = try value(c.0)
        } throws: { e in
            guard let e = e as? InputError else { return false }
            return e.line == c.1 && e.column == c.2
        }
    }

    @Test func deepNestingIsAnErrorNotACrash() {
        let s = String(repeating: "[", count: 100_000)
        #expect(throws: InputError.self) { _ = try value(s) }
        let r = JSONReader(bytes: bytes(s))
        #expect(throws: InputError.self) { try r.skipValue() }
    }

    @Test func pullAPIWalksContainers() throws {
        let r = JSONReader(bytes: bytes(#" { "a" : [ 1 , {"x":2} ] , "b" : {} , "c": [] } "#))
        try r.beginObject()
        #expect(try r.nextKey() == "a")
        try r.beginArray()
        #expect(try r.nextElement())
        #expect(try r.readNumber().integer == 1)
        #expect(try r.nextElement())
        #expect(try r.peekKind() == .object)
        try r.skipValue()
        #expect(try r.nextElement() == false)
        #expect(try r.nextKey() == "b")
        #expect(try r.readValue().object?.members.isEmpty == true)
        #expect(try r.nextKey() == "c")
        try r.beginArray()
        #expect(try r.nextElement() == false)
        #expect(try r.nextKey() == nil)
        try r.finish()
    }
}
