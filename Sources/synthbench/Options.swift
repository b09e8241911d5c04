import ArgumentParser
import Foundation
import Generator
import Randomization

/// `--preset`/`--config` and `--seed`: what `generate` and `bench` generate.
struct GenerationOptions: ParsableArguments {
    @Option(help: "Preset: none, light or full (default full unless --config is given).") var preset: String?
    @Option(help: "YAML config file (see docs/FORMATS.md).") var config: String?
    @Option(help: "Random seed.") var seed: UInt64 = 0

    func validate() throws {
        if preset != nil && config != nil { throw ValidationError("--preset and --config: give one, not both") }
    }

    /// The config file when given, else the preset (default full).
    func load() throws -> GeneratorConfig {
        if let config { return try GeneratorConfig.load(path: config) }
        return try GeneratorConfig.preset(preset ?? "full")
    }
}

/// "1,8,64": positive, distinct counts, in the order given.
struct CountList: ExpressibleByArgument, Equatable, CustomStringConvertible {
    var values: [Int]

    init(_ values: [Int]) { self.values = values }

    init?(argument: String) {
        var out: [Int] = []
        for part in argument.split(separator: ",", omittingEmptySubsequences: false) {
            guard let n = Int(part.trimmingCharacters(in: .whitespaces)), n > 0, !out.contains(n) else { return nil }
            out.append(n)
        }
        values = out
    }

    var description: String { values.map(String.init).joined(separator: ",") }

    /// 1, 2, 4, … below the core count, then the core count.
    static func powersOfTwo(upTo cores: Int) -> CountList {
        var out: [Int] = []
        var l = 1
        while l < cores { out.append(l); l *= 2 }
        out.append(max(cores, 1))
        return CountList(out)
    }
}

/// `--memory-envs`: counts of the memory probe, or `none`.
enum ProbeCounts: ExpressibleByArgument, Equatable {
    case off
    case counts(CountList)

    init?(argument: String) {
        if argument == "none" { self = .off; return }
        guard let list = CountList(argument: argument) else { return nil }
        self = .counts(list)
    }
}

/// A fraction in [0, 1): "5%" or "0.05".
struct Fraction: ExpressibleByArgument, Equatable, CustomStringConvertible {
    var value: Double
    /// How it was written (shown as the default in help).
    var text: String

    init?(argument: String) {
        let t = argument.trimmingCharacters(in: .whitespaces)
        if t.hasSuffix("%"), let v = Double(t.dropLast()), v >= 0, v < 100 { value = v / 100 }
        else if let v = Double(t), v >= 0, v < 1 { value = v }
        else { return nil }
        text = argument
    }

    var description: String { text }
}
