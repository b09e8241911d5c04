#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A file-system failure with the path and the C error it came from.
public struct FileIOError: Error, CustomStringConvertible, Equatable {
    public enum Reason: Equatable { case open, write, rename, read, sync, remove, create, notEmpty, escapes }
    public let reason: Reason
    public let path: String
    public let errno: Int32
    public let detail: String

    public init(_ reason: Reason, path: String, errno: Int32 = 0, detail: String = "") {
        self.reason = reason; self.path = path; self.errno = errno; self.detail = detail
    }

    public var description: String {
        let cause = errno != 0 ? String(cString: strerror(errno)) : detail
        switch reason {
        case .open: return "\(path): cannot open for writing: \(cause)"
        case .write: return "\(path): write failed: \(cause)"
        case .rename: return "\(path): cannot rename into place: \(cause)"
        case .read: return "\(path): cannot read: \(cause)"
        case .sync: return "\(path): fsync failed: \(cause)"
        case .remove: return "\(path): cannot remove: \(cause)"
        case .create: return "\(path): cannot create directory: \(cause)"
        case .notEmpty: return "\(path): output directory is not empty (use --resume to continue or --force to overwrite)"
        case .escapes: return "\(path): path escapes its directory\(detail.isEmpty ? "" : ": \(detail)")"
        }
    }
}

/// All file writes of the project go through here: write to `NAME.partial`, then rename onto `NAME`,
/// so a reader never sees a partial file under its final name.
public enum FileIO {
    /// Suffix of temporary files; anything carrying it is unfinished and may be deleted.
    public static let temporaryMarker = ".partial"

    /// Writes `bytes` to `path` atomically (temporary file + rename). `sync` adds an fsync before the rename.
    public static func writeAtomically(_ bytes: UnsafeRawBufferPointer, to path: String, sync: Bool = false) throws {
        let tmp = path + temporaryMarker
        let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        if fd < 0 { throw FileIOError(.open, path: tmp, errno: errno) }
        do {
            try writeAll(fd: fd, bytes, path: tmp)
            if sync && fsync(fd) != 0 { throw FileIOError(.sync, path: tmp, errno: errno) }
        } catch {
            close(fd); unlink(tmp); throw error
        }
        if close(fd) != 0 { let e = errno; unlink(tmp); throw FileIOError(.write, path: tmp, errno: e) }
        if rename(tmp, path) != 0 { let e = errno; unlink(tmp); throw FileIOError(.rename, path: path, errno: e) }
    }

    public static func writeAtomically(_ bytes: [UInt8], to path: String, sync: Bool = false) throws {
        try bytes.withUnsafeBytes { try writeAtomically($0, to: path, sync: sync) }
    }

    public static func writeAtomically(_ text: String, to path: String, sync: Bool = false) throws {
        try writeAtomically(Array(text.utf8), to: path, sync: sync)
    }

    static func writeAll(fd: Int32, _ bytes: UnsafeRawBufferPointer, path: String) throws {
        guard var p = bytes.baseAddress else { return }
        var left = bytes.count
        while left > 0 {
            let n = write(fd, p, left)
            if n < 0 { if errno == EINTR { continue }; throw FileIOError(.write, path: path, errno: errno) }
            if n == 0 { throw FileIOError(.write, path: path, errno: ENOSPC) }
            p += n; left -= n
        }
    }

    public static func readAll(_ path: String) throws -> [UInt8] {
        guard let d = FileManager.default.contents(atPath: path) else {
            throw FileIOError(.read, path: path, errno: access(path, R_OK) == 0 ? EIO : errno)
        }
        return [UInt8](d)
    }

    public static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    public static func isDirectory(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    public static func makeDirectory(_ path: String) throws {
        do { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) }
        catch { throw FileIOError(.create, path: path, errno: EACCES, detail: "\(error)") }
        if access(path, W_OK) != 0 { throw FileIOError(.create, path: path, errno: errno) }
    }

    public static func remove(_ path: String) throws {
        guard exists(path) else { return }
        do { try FileManager.default.removeItem(atPath: path) }
        catch { throw FileIOError(.remove, path: path, detail: "\(error)") }
    }

    public static func listDirectory(_ path: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted()
    }

    /// Resolves `relative` inside `directory` and refuses absolute paths, `..` components and symlinks
    /// that lead outside `directory`. Returns the joined path.
    public static func contained(_ relative: String, in directory: String) throws -> String {
        if relative.hasPrefix("/") { throw FileIOError(.escapes, path: relative, detail: "absolute path") }
        let parts = relative.split(separator: "/", omittingEmptySubsequences: true)
        if parts.contains("..") { throw FileIOError(.escapes, path: relative, detail: "'..' component") }
        let joined = (directory as NSString).appendingPathComponent(relative)
        let root = URL(fileURLWithPath: directory).resolvingSymlinksInPath().standardizedFileURL.path
        let real = URL(fileURLWithPath: joined).resolvingSymlinksInPath().standardizedFileURL.path
        if real != root && !real.hasPrefix(root.hasSuffix("/") ? root : root + "/") {
            throw FileIOError(.escapes, path: relative, detail: "resolves to \(real)")
        }
        return joined
    }
}

/// An append-only file for streams (journals, JSON Lines). Writes are buffered; `flush` pushes them to the kernel.
public final class AppendFile {
    public let path: String
    private let fd: Int32
    private var pending: [UInt8] = []

    public init(path: String, truncateTo length: Int? = nil) throws {
        self.path = path
        fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o644)
        if fd < 0 { throw FileIOError(.open, path: path, errno: errno) }
        let end: off_t
        if let length { if ftruncate(fd, off_t(length)) != 0 { throw FileIOError(.write, path: path, errno: errno) }; end = off_t(length) }
        else { end = lseek(fd, 0, SEEK_END) }
        lseek(fd, end, SEEK_SET)
        pending.reserveCapacity(1 << 16)
    }

    deinit { close(fd) }

    public func append(_ text: String) { pending.append(contentsOf: text.utf8) }
    public func append(_ bytes: [UInt8]) { pending.append(contentsOf: bytes) }

    /// Flushes once more than 1 MiB is pending.
    public func flushIfLarge() throws { if pending.count >= 1 << 20 { try flush() } }

    /// Renames this (temporary) file onto `path`.
    public func commit(to final: String) throws {
        try flush()
        if rename(path, final) != 0 { throw FileIOError(.rename, path: final, errno: errno) }
    }

    public func flush(sync: Bool = false) throws {
        if !pending.isEmpty {
            try pending.withUnsafeBytes { try FileIO.writeAll(fd: fd, $0, path: path) }
            pending.removeAll(keepingCapacity: true)
        }
        if sync && fsync(fd) != 0 { throw FileIOError(.sync, path: path, errno: errno) }
    }
}
