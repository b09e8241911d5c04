import Foundation
import Testing
@testable import Support

/// Integers from files are bounded before arithmetic; PNG headers before allocation.
@Suite struct InputLimitTests {
    @Test func pixelsAndWidths() {
        #expect(InputLimits.pixels(width: 640, height: 480) == 307_200)
        #expect(InputLimits.pixels(width: 8192, height: 8192) == InputLimits.imagePixels)
        #expect(InputLimits.pixels(width: 8193, height: 8192) == nil)
        #expect(InputLimits.pixels(width: 0, height: 10) == nil)
        #expect(InputLimits.pixels(width: Int.max, height: 2) == nil)
        #expect(InputLimits.width(0, 5) == 5)
        #expect(InputLimits.width(Int.min, Int.max) == nil)
        #expect(InputLimits.width(-1, Int.max) == nil)
        #expect(InputLimits.width(Int.min, 0) == nil)
    }

    /// A real 8×6 RGB PNG whose IHDR is rewritten (with a valid CRC) to declare `width` × `height`.
    static func png(declaring width: UInt32, _ height: UInt32) throws -> [UInt8] {
        let pixels = [UInt8](repeating: 90, count: 8 * 6 * 3)
        let encoder = PNGEncoder()
        var bytes = try pixels.withUnsafeBufferPointer { Array(try encoder.encode($0, width: 8, height: 6, channels: 3, settings: .rgb)) }
        func be(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }
        bytes.replaceSubrange(16..<20, with: be(width))
        bytes.replaceSubrange(20..<24, with: be(height))
        var crc: UInt32 = 0xFFFF_FFFF
        for b in bytes[12..<29] {
            crc ^= UInt32(b)
            for _ in 0..<8 { crc = crc & 1 != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        bytes.replaceSubrange(29..<33, with: be(~crc))
        return bytes
    }

    @Test func honestHeaderDecodes() throws {
        let img = try PNG.decode(try Self.png(declaring: 8, 6), maxPixels: 48)
        #expect(img.width == 8 && img.height == 6 && img.bytes.count == 144)
    }

    /// Headers declaring more than the caller's cap (or the global one) are refused before decoding; no
    /// multi-gigabyte buffer is ever allocated for them.
    @Test(arguments: [(UInt32(30000), UInt32(30000), InputLimits.imagePixels), (9, 6, 48), (8, 7, 48),
                      (0x7FFF_FFFF, 2, InputLimits.imagePixels), (0xFFFF_FFFF, 1, InputLimits.imagePixels)])
    func oversizedHeadersAreRefused(width: UInt32, height: UInt32, cap: Int) throws {
        let data = try Self.png(declaring: width, height)
        #expect(throws: PNGError.self) { try PNG.decode(data, maxPixels: cap) }
    }
}
