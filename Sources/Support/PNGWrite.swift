import CPNGWrite

/// The one Swift wrapper of CPNGWrite (PNG framing and row filters in C; the zlib stream by libdeflate or by
/// the built-in run coder). Errors come back as `PNGError`.
final class PNGWriter {
    private let writer: OpaquePointer?

    init() { writer = sb_png_writer_new() }
    deinit { sb_png_writer_free(writer) }

    /// Encodes with `settings.encoder` `.libdeflate` or `.runs`; the bytes are valid until the next call.
    func encode(_ pixels: UnsafeRawPointer, width: Int, height: Int, channels: Int, bitDepth: Int,
                settings: PNGSettings) throws -> UnsafeRawBufferPointer {
        guard let writer else { throw PNGError(reason: .encode, message: "out of memory for a PNG writer") }
        let filter: Int32
        switch settings.filter {
        case .none: filter = Int32(SB_PNG_FILTER_NONE)
        case .sub: filter = Int32(SB_PNG_FILTER_SUB)
        case .up: filter = Int32(SB_PNG_FILTER_UP)
        default: throw PNGError(reason: .encode, message: "\(settings.encoder.rawValue) writes filters none, sub and up only")
        }
        let coder = settings.encoder == .runs ? Int32(SB_PNG_CODER_RUNS) : Int32(SB_PNG_CODER_LIBDEFLATE)
        var out: UnsafePointer<UInt8>?
        var count = 0
        var message = [CChar](repeating: 0, count: 256)
        let rc = sb_png_writer_encode(writer, pixels, Int32(width), Int32(height), Int32(channels), Int32(bitDepth),
                                      filter, coder, Int32(settings.level), &out, &count, &message, 256)
        if rc != 0 { throw PNGError(reason: .encode, message: String(cString: message)) }
        return UnsafeRawBufferPointer(start: out, count: count)
    }
}

/// The built-in run coder alone (a zlib stream of `data`), for tests and benchmarks.
public enum RunCoder {
    public static func zlib(_ data: [UInt8], distance: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: sb_png_runs_bound(data.count))
        let n = data.withUnsafeBufferPointer { d in
            out.withUnsafeMutableBufferPointer { o in
                sb_png_runs_zlib(d.baseAddress, d.count, Int32(distance), o.baseAddress, o.count)
            }
        }
        return Array(out.prefix(n))
    }
}
