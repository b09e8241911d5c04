import ArgumentParser
import Foundation
import Support

/// Prints a message to stderr.
func printError(_ message: String) {
    FileHandle.standardError.write(Data(("synthbench: " + message + "\n").utf8))
}

/// The one path from an error to an exit status. Runs `body`; an error it throws is printed on stderr (after
/// `context`, such as the input or flag it concerns, unless the error names its own position) and ends the
/// command with `ExitStatus.of(error)` (2: bad input or environment). `ExitCode`, `CleanExit` and
/// `ValidationError` pass through to ArgumentParser.
@discardableResult
func runMapped<T>(context: String? = nil, _ body: () throws -> T) throws -> T {
    do { return try body() }
    catch let e as ExitCode { throw e }
    catch let e as CleanExit { throw e }
    catch let e as ValidationError { throw e }
    catch {
        let named = error is InputError   // names its own file, line and field
        printError(context.map { named ? "\(error)" : "\($0): \(error)" } ?? "\(error)")
        throw ExitCode(ExitStatus.of(error))
    }
}
