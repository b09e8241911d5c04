import CSHA256
import Foundation

/// SHA-256 (FIPS 180-4), incremental. Used for the per-file digests in `manifest.json`.
/// Verified against the FIPS test vectors and `sha256sum` in SupportTests.
public struct SHA256 {
    private var h: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) =
        (0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19)
    private var buffer = [UInt8](repeating: 0, count: 64)
    private var buffered = 0
    private var length: UInt64 = 0

    private let portable: Bool

    /// `portable`: never use the CPU's SHA extensions (x86 SHA-NI), which are otherwise used where present.
    /// Both paths give the same digests.
    public init(portable: Bool = false) { self.portable = portable }

    /// Digest of `bytes` as 64 lowercase hex characters.
    public static func hex<C: ContiguousBytes>(_ bytes: C) -> String {
        var s = SHA256()
        s.update(bytes)
        return s.finalizeHex()
    }

    public mutating func update<C: ContiguousBytes>(_ bytes: C) {
        bytes.withUnsafeBytes { update(UnsafeRawBufferPointer($0)) }
    }

    public mutating func update(_ raw: UnsafeRawBufferPointer) {
        guard var p = raw.baseAddress, raw.count > 0 else { return }
        var n = raw.count
        length &+= UInt64(n)
        if buffered > 0 {
            let take = min(64 - buffered, n)
            buffer.withUnsafeMutableBytes { b in
                (b.baseAddress! + buffered).copyMemory(from: p, byteCount: take)
            }
            buffered += take; p += take; n -= take
            if buffered == 64 {
                buffer.withUnsafeBytes { b in compress(b.baseAddress!, blocks: 1) }
                buffered = 0
            }
        }
        let blocks = n / 64
        if blocks > 0 {
            compress(p, blocks: blocks)
            p += blocks * 64; n -= blocks * 64
        }
        if n > 0 {
            buffer.withUnsafeMutableBytes { b in b.baseAddress!.copyMemory(from: p, byteCount: n) }
            buffered = n
        }
    }

    public mutating func finalize() -> [UInt8] {
        let bitLength = length &* 8
        var pad = [UInt8](repeating: 0, count: (buffered < 56 ? 56 - buffered : 120 - buffered) + 8)
        pad[0] = 0x80
        for i in 0..<8 { pad[pad.count - 1 - i] = UInt8(truncatingIfNeeded: bitLength >> (8 * UInt64(i))) }
        let savedLength = length
        pad.withUnsafeBytes { update($0) }
        length = savedLength
        var out = [UInt8](); out.reserveCapacity(32)
        for w in [h.0, h.1, h.2, h.3, h.4, h.5, h.6, h.7] {
            out.append(UInt8(w >> 24)); out.append(UInt8((w >> 16) & 0xff))
            out.append(UInt8((w >> 8) & 0xff)); out.append(UInt8(w & 0xff))
        }
        return out
    }

    public mutating func finalizeHex() -> String {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var chars = [UInt8](); chars.reserveCapacity(64)
        for b in finalize() { chars.append(digits[Int(b >> 4)]); chars.append(digits[Int(b & 15)]) }
        return String(decoding: chars, as: UTF8.self)
    }

    /// Whether this CPU has the SHA extensions.
    public static var hardwareAvailable: Bool {
        var state: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) = (0, 0, 0, 0, 0, 0, 0, 0)
        return withUnsafeMutableBytes(of: &state) {
            csha256_blocks($0.baseAddress!.assumingMemoryBound(to: UInt32.self), nil, 0, 1)
        } == 1
    }

    /// The block function (CSHA256): the CPU's SHA extensions unless `portable`, else portable C.
    private mutating func compress(_ base: UnsafeRawPointer, blocks: Int) {
        let hardware: Int32 = portable ? 0 : 1
        withUnsafeMutableBytes(of: &h) { state in
            _ = csha256_blocks(state.baseAddress!.assumingMemoryBound(to: UInt32.self),
                               base.assumingMemoryBound(to: UInt8.self), blocks, hardware)
        }
    }
}
