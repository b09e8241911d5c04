import Foundation
import Testing
@testable import Support

/// Atomic writes: the final name holds the old bytes or the new bytes, never part of either, and a failed write
/// leaves no temporary file behind.
@Suite struct AtomicWriteTests {
    static func tempDir() -> String {
        let dir = NSTemporaryDirectory() + "synthbench-fileio-" + UUID().uuidString
        try! FileIO.makeDirectory(dir)
        return dir
    }

    @Test(arguments: [0, 1, 4096, 3 << 20])
    func writesReplaceTheWholeFile(size: Int) throws {
        let path = Self.tempDir() + "/out.bin"
        try FileIO.writeAtomically(Array(repeating: 7, count: 5000), to: path)
        let bytes = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        try FileIO.writeAtomically(bytes, to: path, sync: true)
        #expect(try FileIO.readAll(path) == bytes)
        #expect(!FileIO.exists(path + FileIO.temporaryMarker))
    }

    @Test func aMissingDirectoryFailsAndCreatesNothing() throws {
        let dir = Self.tempDir()
        let path = dir + "/absent/out.json"
        #expect(throws: FileIOError.self) { try FileIO.writeAtomically("{}", to: path) }
        #expect(FileIO.listDirectory(dir).isEmpty)
    }

    @Test func aFailedRenameKeepsNoTemporaryFile() throws {
        // The final name is a non-empty directory: the bytes are written, the rename fails.
        let dir = Self.tempDir()
        let path = dir + "/report"
        try FileIO.makeDirectory(path)
        try FileIO.writeAtomically("inside", to: path + "/keep.txt")
        let error = #expect(throws: FileIOError.self) { try FileIO.writeAtomically("new", to: path) }
        #expect(error?.reason == .rename)
        #expect(FileIO.listDirectory(dir) == ["report"])
        #expect(FileIO.listDirectory(path) == ["keep.txt"])
    }

    @Test func aFailedWriteLeavesTheOldFileWhole() throws {
        // The temporary name is taken by a directory, so the new bytes cannot be written at all.
        let dir = Self.tempDir()
        let path = dir + "/data.json"
        try FileIO.writeAtomically("old contents", to: path)
        try FileIO.makeDirectory(path + FileIO.temporaryMarker)
        let error = #expect(throws: FileIOError.self) { try FileIO.writeAtomically(String(repeating: "x", count: 100_000), to: path) }
        #expect(error?.reason == .open)
        #expect(String(decoding: try FileIO.readAll(path), as: UTF8.self) == "old contents")
    }
}

/// `LineReader`: lines split on LF only, byte offsets, a last line without a newline, lines longer than a chunk.
@Suite struct LineReaderTests {
    struct Line: Equatable { var text: String; var complete: Bool; var offset: Int }

    static func lines(of bytes: [UInt8]) throws -> [Line] {
        let path = AtomicWriteTests.tempDir() + "/lines.txt"
        try FileIO.writeAtomically(bytes, to: path)
        var out: [Line] = []
        try LineReader(path: path).forEach { line, complete, offset in out.append(Line(text: String(line), complete: complete, offset: offset)) }
        return out
    }

    @Test func lfLinesAndTheirOffsets() throws {
        #expect(try Self.lines(of: Array("a\n\nbcd\n".utf8))
                == [Line(text: "a", complete: true, offset: 0), Line(text: "", complete: true, offset: 2),
                    Line(text: "bcd", complete: true, offset: 3)])
        #expect(try Self.lines(of: []).isEmpty)
    }

    @Test func crlfKeepsTheCarriageReturnAndCountsItsByte() throws {
        // CR is part of the line (JSON readers take it as white space); offsets stay byte offsets into the file,
        // which is what a resume truncates at.
        #expect(try Self.lines(of: Array("{\"a\":1}\r\n{\"b\":2}\r\n".utf8))
                == [Line(text: "{\"a\":1}\r", complete: true, offset: 0), Line(text: "{\"b\":2}\r", complete: true, offset: 9)])
    }

    @Test func aLastLineWithoutNewlineIsIncomplete() throws {
        #expect(try Self.lines(of: Array("one\ntw".utf8))
                == [Line(text: "one", complete: true, offset: 0), Line(text: "tw", complete: false, offset: 4)])
        #expect(try Self.lines(of: Array("only".utf8)) == [Line(text: "only", complete: false, offset: 0)])
    }

    @Test func linesLongerThanAChunkArriveWhole() throws {
        // 2.5 MiB lines cross the 1 MiB read chunks; a two-byte character sits on a chunk boundary.
        let long = String(repeating: "x", count: (1 << 20) - 1) + "é" + String(repeating: "y", count: 3 << 19)
        let text = long + "\n" + "short\n" + long
        let got = try Self.lines(of: Array(text.utf8))
        #expect(got.count == 3)
        #expect(got[0] == Line(text: long, complete: true, offset: 0))
        #expect(got[1] == Line(text: "short", complete: true, offset: long.utf8.count + 1))
        #expect(got[2] == Line(text: long, complete: false, offset: long.utf8.count + 7))
    }

    @Test func aMissingFileThrows() {
        #expect(throws: FileIOError.self) { try LineReader(path: "/nonexistent/synthbench/lines").forEach { _, _, _ in } }
    }
}
