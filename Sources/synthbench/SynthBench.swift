import ArgumentParser
import Support
#if canImport(Glibc)
import Glibc
#endif

/// The `synthbench` command line: argument parsing only; every command calls one module entry point.
/// Exit codes for every command: 0 ran and all checks passed, 1 a check failed, 2 bad input or usage.
@main
struct SynthBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synthbench",
        abstract: "Generate, measure and validate domain-randomized synthetic perception datasets.",
        version: "0.1.0",
        subcommands: [GenerateCommand.self, MergeCommand.self, CeilingCommand.self, ValidateCommand.self, EvalCommand.self,
                      BenchCommand.self, GateCommand.self, CompareCommand.self, AuditCommand.self,
                      GradeCommand.self]
    )

    /// Usage errors exit with 2 (ArgumentParser's own default is 64).
    static func main() {
        Platform.keepFreedMemory()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let code = exitCode(for: error)
            if code == .success { exit(withError: error) }
            let message = fullMessage(for: error)
            if !message.isEmpty { printError(message) }
            Glibc.exit(code == .validationFailure ? 2 : code.rawValue)
        }
    }
}
