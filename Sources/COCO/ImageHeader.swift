#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Width and height from a PNG or JPEG header, read without decoding the image.
public enum ImageHeader {
    public enum Format: String, Sendable { case png, jpeg }

    public struct Info: Equatable, Sendable {
        public var format: Format
        public var width: Int
        public var height: Int
    }

    public enum Failure: Error, Equatable, Sendable, CustomStringConvertible {
        case unreadable(String)
        case notAnImage(String)
        public var description: String {
            switch self {
            case .unreadable(let s): return "cannot read: \(s)"
            case .notAnImage(let s): return s
            }
        }
    }

    /// Reads the header of the file at `path`.
    public static func read(path: String) -> Result<Info, Failure> {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { return .failure(.unreadable(String(cString: strerror(errno)))) }
        defer { close(fd) }
        var st = stat()
        if fstat(fd, &st) != 0 { return .failure(.unreadable(String(cString: strerror(errno)))) }
        if (st.st_mode & S_IFMT) != S_IFREG { return .failure(.unreadable("not a regular file")) }
        func pread(_ offset: Int, _ n: Int) -> [UInt8]? {
            var b = [UInt8](repeating: 0, count: n)
            var got = 0
            while got < n {
                let r = b.withUnsafeMutableBytes { Glibc.pread(fd, $0.baseAddress! + got, n - got, off_t(offset + got)) }
                if r < 0 { if errno == EINTR { continue }; return nil }
                if r == 0 { break }
                got += r
            }
            return got == n ? b : nil
        }
        guard let head = pread(0, 2) else { return .failure(.notAnImage("file shorter than an image header")) }
        if head[0] == 0x89 && head[1] == 0x50 {
            guard let h = pread(0, 33) else { return .failure(.notAnImage("truncated PNG header")) }
            return parsePNG(h)
        }
        if head[0] == 0xFF && head[1] == 0xD8 {
            // Walk the JPEG segments to the first SOF marker.
            var off = 2
            var steps = 0
            while steps < 10_000 {
                steps += 1
                guard var m = pread(off, 2) else { return .failure(.notAnImage("JPEG ends before its frame header")) }
                // Fill bytes (0xFF padding) before a marker.
                while m[0] == 0xFF && m[1] == 0xFF {
                    off += 1
                    guard let n = pread(off, 2) else { return .failure(.notAnImage("JPEG ends before its frame header")) }
                    m = n
                }
                guard m[0] == 0xFF else { return .failure(.notAnImage("corrupt JPEG segment at byte \(off)")) }
                let marker = m[1]
                if marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7) { off += 2; continue }
                if marker == 0xD9 || marker == 0xDA { return .failure(.notAnImage("JPEG without a frame header")) }
                guard let lenBytes = pread(off + 2, 2) else { return .failure(.notAnImage("truncated JPEG segment")) }
                let len = Int(lenBytes[0]) << 8 | Int(lenBytes[1])
                if len < 2 { return .failure(.notAnImage("corrupt JPEG segment length")) }
                let isSOF = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC
                if isSOF {
                    guard let sof = pread(off + 4, 5) else { return .failure(.notAnImage("truncated JPEG frame header")) }
                    let h = Int(sof[1]) << 8 | Int(sof[2])
                    let w = Int(sof[3]) << 8 | Int(sof[4])
                    if w == 0 || h == 0 { return .failure(.notAnImage("JPEG frame header with zero size")) }
                    return .success(Info(format: .jpeg, width: w, height: h))
                }
                off += 2 + len
            }
            return .failure(.notAnImage("JPEG with too many segments"))
        }
        return .failure(.notAnImage("not a PNG or JPEG file"))
    }

    /// PNG signature and IHDR chunk.
    public static func parsePNG(_ b: [UInt8]) -> Result<Info, Failure> {
        let sig: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        guard b.count >= 24, Array(b[0..<8]) == sig else { return .failure(.notAnImage("bad PNG signature")) }
        guard b[12] == 0x49, b[13] == 0x48, b[14] == 0x44, b[15] == 0x52 else {
            return .failure(.notAnImage("PNG without IHDR first"))
        }
        func be32(_ i: Int) -> Int { Int(b[i]) << 24 | Int(b[i + 1]) << 16 | Int(b[i + 2]) << 8 | Int(b[i + 3]) }
        let w = be32(16), h = be32(20)
        if w == 0 || h == 0 || w > Int(Int32.max) || h > Int(Int32.max) { return .failure(.notAnImage("PNG with invalid size \(w)x\(h)")) }
        return .success(Info(format: .png, width: w, height: h))
    }
}
