import Foundation
import Support
import Testing
@testable import YAMLInput

/// The YAML front end: errors carry the file, line and column; size, nesting and alias expansion are bounded.
@Suite struct SafeYAMLTests {
    static func error(_ text: String, limits: YAMLLimits = .standard) -> InputError? {
        do { _ = try SafeYAML.compose(text, file: "f.yaml", limits: limits); return nil }
        catch let e as InputError { return e }
        catch { return nil }
    }

    @Test(arguments: [
        ("a: [1, 2\n", 2, 1, "not valid YAML"),
        ("a: 1\n b: 2\n", 2, 3, "not valid YAML"),
        ("a: 'open\n", 2, 1, "not valid YAML"),
    ] as [(String, Int, Int, String)])
    func syntaxErrorsArePlaced(text: String, line: Int, column: Int, message: String) throws {
        let e = try #require(Self.error(text))
        #expect(e.file == "f.yaml" && e.line == line && e.column == column, "\(e)")
        #expect(e.message.contains(message), "\(e)")
        #expect(e.description.hasPrefix("f.yaml:\(line):\(column): not valid YAML"), "\(e)")
    }

    @Test func fieldsArePlaced() throws {
        let root = try SafeYAML.compose("a:\n  b: x\n  c: [1, 2]\n", file: "f.yaml")
        let y = YAMLFields(file: "f.yaml")
        let top = try y.mapping(root, "")
        let a = try y.mapping(try y.require(top, "a", in: root, ""), "a")
        let e = #expect(throws: InputError.self) { try y.int(y.lookup(a, "b")!, "a.b") }
        #expect(e?.description == "f.yaml:2:6: a.b: expected an integer", "\(String(describing: e))")
        let m = #expect(throws: InputError.self) { try y.require(a, "d", in: root, "a") }
        #expect(m?.field == "a.d" && m?.message == "missing")
        let u = #expect(throws: InputError.self) { try y.mapping(root, "", allowed: ["b"]) }
        #expect(u?.description == "f.yaml:1:1: a: unknown key (expected one of: b)", "\(String(describing: u))")
    }

    @Test func sizeIsLimited() throws {
        let text = "a: " + String(repeating: "x", count: 200) + "\n"
        let e = try #require(Self.error(text, limits: YAMLLimits(bytes: 100)))
        #expect(e.message.contains("over the limit of 100 bytes; refused"), "\(e)")
        #expect(Self.error(text, limits: YAMLLimits(bytes: 1000)) == nil)
        // From a file: the size is checked before the file is read.
        let path = NSTemporaryDirectory() + "synthbench-yaml-\(UUID().uuidString.prefix(8)).yaml"
        try FileIO.writeAtomically(text, to: path)
        defer { try? FileIO.remove(path) }
        let f = #expect(throws: InputError.self) { try SafeYAML.load(path: path, what: "config", limits: YAMLLimits(bytes: 100)) }
        #expect(f?.description == "\(path): config is \(text.utf8.count) bytes, over the limit of 100 bytes; refused")
        #expect(InputLimits.yamlBytes == YAMLLimits.standard.bytes)
    }

    @Test(arguments: [8, 40])
    func nestingIsLimited(depth: Int) throws {
        let flow = String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "\n"
        let e = Self.error("a: " + flow, limits: YAMLLimits(depth: 32))
        if depth > 32 {
            #expect(e?.message.contains("nested deeper than the limit (32 levels)") == true, "\(String(describing: e))")
        } else {
            #expect(e == nil, "\(String(describing: e))")
        }
    }

    @Test func aliasExpansionIsBounded() throws {
        var text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for i in 1..<8 { text += "a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 10).joined(separator: ", ") + "]\n" }
        let e = try #require(Self.error(text))
        #expect(e.message.contains("more than \(InputLimits.yamlNodes) YAML nodes once aliases are expanded"), "\(e)")
    }
}
