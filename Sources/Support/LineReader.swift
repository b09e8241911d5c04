import Foundation

/// Reads a file line by line in 1 MiB chunks (memory bounded by the longest line).
/// A last line without a trailing newline is reported with `complete == false`.
public struct LineReader {
    public let path: String
    public init(path: String) { self.path = path }

    public func forEach(_ body: (_ line: Substring, _ complete: Bool, _ offset: Int) throws -> Void) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw FileIOError(.read, path: path, errno: ENOENT) }
        defer { try? handle.close() }
        var pending = [UInt8]()
        var offset = 0
        while true {
            let chunk = handle.readData(ofLength: 1 << 20)
            if chunk.isEmpty { break }
            pending.append(contentsOf: chunk)
            var start = 0
            while let nl = pending[start...].firstIndex(of: 0x0A) {
                let line = String(decoding: pending[start..<nl], as: UTF8.self)
                try body(line[...], true, offset)
                offset += nl - start + 1
                start = nl + 1
            }
            pending.removeFirst(start)
        }
        if !pending.isEmpty { try body(String(decoding: pending, as: UTF8.self)[...], false, offset) }
    }
}
