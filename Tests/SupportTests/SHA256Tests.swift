import Testing
import Foundation
@testable import Support

@Suite struct SHA256Tests {
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
    ])
    func fipsVectors(input: String, digest: String) {
        #expect(SHA256.hex(Array(input.utf8)) == digest)
    }

    @Test func millionAsInPiecesEqualsWhole() {
        let data = [UInt8](repeating: 0x61, count: 1_000_000)
        #expect(SHA256.hex(data) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
        var s = SHA256()
        var i = 0
        var step = 1
        while i < data.count {
            let n = min(step, data.count - i)
            data[i..<(i + n)].withUnsafeBytes { s.update($0) }
            i += n; step = step % 97 + 13
        }
        #expect(s.finalizeHex() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    /// NIST FIPS 180-2 examples (one block, two blocks, the 896-bit message) on the portable Swift path and on the
    /// x86 SHA-extension path (where the CPU has it; `SHA256()` picks it then).
    @Test(arguments: [false, true], [
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        ("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
         "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"),
    ])
    func fipsVectorsOnBothPaths(portable: Bool, vector: (String, String)) {
        var s = SHA256(portable: portable)
        s.update(Array(vector.0.utf8))
        #expect(s.finalizeHex() == vector.1)
    }

    @Test func theHardwarePathIsUsedWhereTheCPUHasIt() throws {
        let flags = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))?
            .split(separator: "\n").first { $0.hasPrefix("flags") }?.split(separator: " ") ?? []
        #expect(SHA256.hardwareAvailable == (flags.contains("sha_ni") && flags.contains("sse4_1") && flags.contains("ssse3")))
    }

    @Test func hardwareAndPortablePathsAgree() {
        let seed = ProcessInfo.processInfo.environment["SYNTHBENCH_TEST_SEED"].flatMap { UInt64($0) } ?? UInt64.random(in: 1...UInt64(UInt32.max))
        print("SHA256Tests.hardwareAndPortablePathsAgree: seed \(seed) (replay with SYNTHBENCH_TEST_SEED=\(seed))")
        var rng = CounterRNG(key: seed)
        for length in [0, 1, 55, 56, 63, 64, 65, 127, 128, 1000, 4096, 100_003] {
            let data = (0..<length).map { _ in UInt8.random(in: 0...255, using: &rng) }
            var a = SHA256(portable: true), b = SHA256()
            a.update(data); b.update(data)
            #expect(a.finalizeHex() == b.finalizeHex(), "length \(length)")
        }
    }
}
