import CLibPNG

/// A libpng failure, with libpng's own message.
public struct PNGError: Error, CustomStringConvertible, Equatable {
    public enum Reason: Equatable { case encode, decode, header }
    public let reason: Reason
    public let message: String
    public var description: String { "PNG \(reason): \(message)" }
}

/// The PNG settings of one image kind; recorded in the manifest.
public struct PNGSettings: Equatable, Codable, Sendable {
    public enum Filter: String, Codable, Sendable { case none, sub, up, average, paeth, all }
    public enum Strategy: String, Codable, Sendable { case defaultStrategy = "default", filtered, huffman, rle }
    public var filter: Filter
    public var level: Int
    public var strategy: Strategy

    public init(filter: Filter, level: Int, strategy: Strategy) {
        self.filter = filter; self.level = level; self.strategy = strategy
    }

    /// Noisy 8-bit RGB: SUB + Z_RLE at level 1 was the fastest for its size (docs/PERFORMANCE.md).
    public static let rgb = PNGSettings(filter: .sub, level: 1, strategy: .rle)
    /// Smooth 16-bit depth: SUB + default strategy at level 1.
    public static let depth = PNGSettings(filter: .sub, level: 1, strategy: .defaultStrategy)
    /// 16-bit instance ids, mostly runs of zeros: SUB + Z_RLE at level 1.
    public static let mask = PNGSettings(filter: .sub, level: 1, strategy: .rle)

    var filterMask: Int32 {
        switch filter {
        case .none: return 0x08
        case .sub: return 0x10
        case .up: return 0x20
        case .average: return 0x40
        case .paeth: return 0x80
        case .all: return 0xF8
        }
    }
    var zStrategy: Int32 {
        switch strategy {
        case .defaultStrategy: return 0
        case .filtered: return 1
        case .huffman: return 2
        case .rle: return 3
        }
    }
}

/// A reusable PNG encoder that owns its output buffer (one per render lane; no allocation per frame
/// once the buffer has grown to a frame's size).
public final class PNGEncoder {
    private var buffer = synthbench_png_buffer(data: nil, size: 0, capacity: 0)
    public init() {}
    deinit { synthbench_png_buffer_free(&buffer) }

    /// Encodes 8-bit (`UInt8`) or 16-bit (`UInt16`, host order) pixels; `channels` is 1 or 3.
    /// The returned buffer is valid until the next call.
    public func encode<T: FixedWidthInteger>(_ pixels: UnsafeBufferPointer<T>, width: Int, height: Int, channels: Int,
                                             settings: PNGSettings) throws -> UnsafeRawBufferPointer {
        precondition(pixels.count >= width * height * channels)
        var message = [CChar](repeating: 0, count: 256)
        let rc = synthbench_png_encode(pixels.baseAddress, Int32(width), Int32(height), Int32(channels),
                                       Int32(T.bitWidth), settings.filterMask, Int32(settings.level),
                                       settings.zStrategy, &buffer, &message, 256)
        if rc != 0 { throw PNGError(reason: .encode, message: String(cString: message)) }
        return UnsafeRawBufferPointer(start: buffer.data, count: buffer.size)
    }
}

/// A decoded PNG: 8-bit samples in `bytes`, or 16-bit samples in `words`.
public struct PNGImage {
    public var width: Int
    public var height: Int
    public var channels: Int
    public var bitDepth: Int
    public var bytes: [UInt8] = []
    public var words: [UInt16] = []
}

public enum PNG {
    /// Reads width, height, bit depth and channels from the IHDR chunk without decoding.
    public static func header(_ data: [UInt8]) throws -> (width: Int, height: Int, bitDepth: Int, channels: Int) {
        var w: Int32 = 0, h: Int32 = 0, b: Int32 = 0, c: Int32 = 0
        var message = [CChar](repeating: 0, count: 256)
        let rc = synthbench_png_header(data, data.count, &w, &h, &b, &c, &message, 256)
        if rc != 0 { throw PNGError(reason: .header, message: String(cString: message)) }
        return (Int(w), Int(h), Int(b), Int(c))
    }

    /// Decodes a whole PNG (8- or 16-bit; palettes expanded to RGB). A header declaring more than `maxPixels`
    /// pixels (callers pass the size the dataset declares; never more than `InputLimits.imagePixels`) is refused
    /// before anything is allocated.
    public static func decode(_ data: [UInt8], maxPixels: Int = InputLimits.imagePixels) throws -> PNGImage {
        let hdr = try header(data)
        guard hdr.width > 0, hdr.height > 0, hdr.width <= InputLimits.imageSide, hdr.height <= InputLimits.imageSide else {
            throw PNGError(reason: .header, message: "implausible size \(hdr.width)x\(hdr.height)")
        }
        let cap = min(max(maxPixels, 0), InputLimits.imagePixels)
        guard hdr.width * hdr.height <= cap else {
            throw PNGError(reason: .header, message: "\(hdr.width)x\(hdr.height) is more than the \(cap) pixels expected")
        }
        let ch = max(hdr.channels, 3)
        let capacity = hdr.width * hdr.height * ch * 2
        var w: Int32 = 0, h: Int32 = 0, b: Int32 = 0, c: Int32 = 0
        var message = [CChar](repeating: 0, count: 256)
        var raw = [UInt8](repeating: 0, count: capacity)
        let rc = raw.withUnsafeMutableBytes { p in
            synthbench_png_decode(data, data.count, p.baseAddress, capacity, &w, &h, &b, &c, &message, 256)
        }
        if rc != 0 { throw PNGError(reason: .decode, message: String(cString: message)) }
        var img = PNGImage(width: Int(w), height: Int(h), channels: Int(c), bitDepth: Int(b))
        let n = img.width * img.height * img.channels
        if b == 16 {
            img.words = raw.withUnsafeBytes { p in Array(p.bindMemory(to: UInt16.self).prefix(n)) }
        } else {
            img.bytes = Array(raw.prefix(n))
        }
        return img
    }
}

extension PNG {
    /// The version string of the libpng this process loaded (`png_get_libpng_ver`), e.g. "1.6.39".
    public static var libraryVersion: String { png_get_libpng_ver(nil).map { String(cString: $0) } ?? "unknown" }
}
