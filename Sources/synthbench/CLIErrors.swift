import ArgumentParser
import Foundation

/// Prints a message to stderr.
func printError(_ message: String) {
    FileHandle.standardError.write(Data(("synthbench: " + message + "\n").utf8))
}

/// Runs `body`; any error it throws is reported on stderr and becomes exit code 2 (bad input),
/// except `ExitCode`, which passes through.
func runMapped(_ body: () throws -> Void) throws {
    do { try body() }
    catch let e as ExitCode { throw e }
    catch let e as CleanExit { throw e }
    catch let e as ValidationError { throw e }
    catch {
        printError("\(error)")
        throw ExitCode(2)
    }
}
