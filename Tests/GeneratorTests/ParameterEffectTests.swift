import Foundation
import Testing
@testable import Generator
import Randomization
import TestSupport

/// Every parameter of the `full` preset must change the images when it alone changes.
@Suite(.tags(.slow)) struct ParameterEffectTests {
    /// Two distinct values inside the parameter's full-preset range.
    static func values(_ spec: ParameterSpec) -> (ParamValue, ParamValue) {
        switch spec.full {
        case .uniform(let a, let b): return (.number(a + 0.2 * (b - a)), .number(a + 0.8 * (b - a)))
        case .integer(let a, let b): return (.number(Double(a + 1)), .number(Double(b - 1)))
        case .choice(let v, _): return (.text(v[0]), .text(v[1]))
        case .normal(let m, let s): return (.number(m - s), .number(m + s))
        case .constant(let v): return (v, .number(v.double * 3))
        }
    }

    static var names: [String] { ParameterSpace.all.map(\.name) }

    @Test(arguments: names)
    func parameterChangesTheImages(name: String) throws {
        let spec = ParameterSpace.byName[name]!
        let (a, b) = Self.values(spec)
        var digests: [[String: String]] = []
        for v in [a, b] {
            // Blur under a quarter pixel counts as in focus, so the aperture needs a finer pixel pitch to show.
            let width = name == "aperture" ? 320 : 128
            var c = Fixture.nominal(width: width, height: width * 3 / 4, framesPerEpisode: 2, renderEvery: 40)
            c.distributions[name] = .constant(v)
            let dir = try Fixture.generate(c, frames: 2, envs: 1, lanes: 1)
            digests.append(Fixture.imageDigests(dir))
        }
        #expect(digests[0].count == 6)
        #expect(digests[0] != digests[1], "\(name) = \(a.json) and \(b.json) render identical images")
    }

    /// Presets differ only in the domain parameters: content parameters keep their `full` distribution in every
    /// preset; `none` fixes every domain parameter at its nominal value, `light` randomizes the lighting group.
    @Test func presetsFixOnlyDomainParameters() {
        let none = try! GeneratorConfig.preset("none"), full = try! GeneratorConfig.preset("full")
        let light = try! GeneratorConfig.preset("light")
        #expect(ParameterSpace.all.filter(\.isContent).count == ParameterSpace.contentNames.count)
        for spec in ParameterSpace.all {
            #expect(full.distributions[spec.name] == spec.full)
            if spec.isContent {
                #expect(spec.full.isRandom, "\(spec.name)")
                #expect(none.distributions[spec.name] == spec.full, "\(spec.name)")
                #expect(light.distributions[spec.name] == spec.full, "\(spec.name)")
                continue
            }
            #expect(!none.distributions[spec.name]!.isRandom, "\(spec.name)")
            #expect(light.distributions[spec.name]!.isRandom == (spec.group == "lighting"), "\(spec.name)")
            if spec.full.isRandom {
                #expect(none.distributions[spec.name] == .constant(spec.nominal), "\(spec.name)")
            }
        }
    }
}
