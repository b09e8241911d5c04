import Testing
@testable import Generator
@testable import Support

private let a = PNGSettings.runs(.sub, distance: 0), b = PNGSettings.runs(.none, distance: 0)
private let c = PNGSettings.libdeflate(.sub, level: 1), d = PNGSettings.runs(.none, distance: 2)

/// The ceiling's choice among timed candidates: the fastest combination inside the size band.
@Suite struct EncodeCeilingChoiceTests {
    typealias C = EncodeCeiling.Candidate

    func timed(_ rgb: [C], depth: [C] = [C(settings: d, msPerImage: 0.5, bytesPerImage: 30_000)],
               mask: [C] = [C(settings: d, msPerImage: 0.2, bytesPerImage: 3_000)]) -> [EncodeCeiling.Kind: [C]] {
        [.rgb: rgb, .depth: depth, .mask: mask]
    }

    @Test func fastestInsideTheBand() {
        // b is fastest but its frame is 1.5× the smallest: out of the band; c is slower than a.
        let all = timed([C(settings: a, msPerImage: 1.4, bytesPerImage: 480_000),
                         C(settings: b, msPerImage: 1.0, bytesPerImage: 720_000),
                         C(settings: c, msPerImage: 6.0, bytesPerImage: 470_000)])
        let choice = EncodeCeiling.pick(all, maxBytesPerFrame: .infinity)
        #expect(choice.settings[.rgb] == a)
        #expect(choice.bytesPerFrame == 480_000 + 30_000 + 3_000)
    }

    @Test func theBandIsOnTheWholeFrame() {
        // A depth setting 2× the smallest depth is taken when the frame as a whole stays inside the band.
        let all = timed([C(settings: a, msPerImage: 1.4, bytesPerImage: 480_000)],
                        depth: [C(settings: d, msPerImage: 0.4, bytesPerImage: 60_000),
                                C(settings: c, msPerImage: 1.3, bytesPerImage: 30_000)])
        #expect(EncodeCeiling.pick(all, maxBytesPerFrame: .infinity).settings[.depth] == d)
    }

    @Test func nearTiesGoToTheSmaller() {
        let all = timed([C(settings: a, msPerImage: 1.00, bytesPerImage: 500_000),
                         C(settings: b, msPerImage: 1.02, bytesPerImage: 480_000)])
        #expect(EncodeCeiling.pick(all, maxBytesPerFrame: .infinity).settings[.rgb] == b)
    }

    @Test func theDatasetLimitExcludesLargeFrames() {
        let all = timed([C(settings: a, msPerImage: 1.0, bytesPerImage: 590_000),
                         C(settings: c, msPerImage: 5.0, bytesPerImage: 520_000)])
        #expect(EncodeCeiling.pick(all, maxBytesPerFrame: .infinity).settings[.rgb] == a)
        #expect(EncodeCeiling.pick(all, maxBytesPerFrame: 600_000).settings[.rgb] == c)
    }

    @Test func everyKindHasCandidatesOfEveryEncoder() {
        for kind in EncodeCeiling.Kind.allCases {
            let list = EncodeCeiling.candidates(kind)
            #expect(Set(list.map(\.encoder)) == Set(PNGSettings.Encoder.allCases))
            let allValid = list.allSatisfy { $0.isValid }
            #expect(allValid)
            #expect(list.contains(EncodeCeiling.generatorSettings(kind)), "the generator's own setting is a candidate")
        }
    }
}

/// A figure's frame count: at least `least`, never more than `most`, and more than `least` only to fill the
/// half second (tiny frames reach `most` long before the half second is up).
@Suite struct EncodeCeilingFigureTests {
    static let frames: [EncodeCeiling.Frame] = (0..<3).map { k in
        let w = 16, h = 8
        return EncodeCeiling.Frame(
            rgb: PNGImage(width: w, height: h, channels: 3, bitDepth: 8, bytes: (0..<(w * h * 3)).map { UInt8(($0 * 7 + k) & 255) }),
            depth: PNGImage(width: w, height: h, channels: 1, bitDepth: 16, words: (0..<(w * h)).map { UInt16($0 * 300 + k) }),
            mask: PNGImage(width: w, height: h, channels: 1, bitDepth: 16, words: (0..<(w * h)).map { UInt16($0 / 40) }))
    }

    @Test(arguments: [(least: 3, most: 3, lanes: 1), (least: 2, most: 40, lanes: 2), (least: 5, most: 9, lanes: 4)])
    func framesStayInTheirBounds(least: Int, most: Int, lanes: Int) throws {
        let r = try EncodeCeiling.throughput(Self.frames, jobs: (least, most), lanes: lanes) { EncodeCeiling.generatorSettings($0) }
        // Frames this small encode in microseconds: the half second is never reached, so every figure runs `most`.
        #expect(r.frames == most)
        #expect(r.seconds > 0 && r.framesPerSecond == Double(r.frames) / r.seconds)
    }

    @Test func slowFiguresStopAtTheirHalfSecond() throws {
        // 3 tiny frames cycled up to 10⁷ times would take far longer than half a second: the clock stops it.
        let r = try EncodeCeiling.throughput(Self.frames, jobs: (3, 10_000_000), lanes: 2) { EncodeCeiling.libpngFormat1($0) }
        #expect(r.frames >= 3 && r.frames < 10_000_000)
        #expect(r.seconds >= EncodeCeiling.figureSeconds && r.seconds < 30)
    }
}
