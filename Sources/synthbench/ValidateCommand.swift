import ArgumentParser
import COCO
import Support

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check a COCO dataset (or results) file: structure, ids, references, geometry, image files.",
        discussion: """
        INPUT is a COCO JSON file, or a dataset directory holding annotations.json (then file_name entries \
        are checked relative to it). The file is streamed: memory stays bounded for any size.
        Exit status: 0 valid (warnings allowed unless --strict), 1 errors found, 2 unreadable or not JSON.
        """)

    @Argument(help: "COCO JSON file or dataset directory.") var input: String?
    @Option(help: "Directory that file_name entries are relative to (checks each image file).") var images: String?
    @Flag(help: "Print one JSON object instead of text.") var json = false
    @Flag(help: "Fail (exit 1) on warnings too.") var strict = false
    @Option(help: "Findings of one code printed in detail (all are counted).") var maxFindings: Int = 100
    @Flag(help: "List every finding code with its severity and exit.") var listCodes = false

    func validate() throws {
        if !listCodes && input == nil { throw ValidationError("missing INPUT (a COCO JSON file or a dataset directory)") }
        if let images, !FileIO.isDirectory(images) { throw ValidationError("--images \(images): not a directory") }
        if maxFindings < 0 { throw ValidationError("--max-findings must be >= 0") }
    }

    func run() throws {
        if listCodes { print(FindingCode.table, terminator: ""); return }
        guard let input else { return }
        let report = try runMapped(context: input) {
            try COCOValidator.validate(path: input, options: ValidationOptions(imagesDirectory: images, maxFindingsPerCode: maxFindings))
        }
        print(json ? report.json(strict: strict) + "\n" : report.text(strict: strict), terminator: "")
        let code = report.exitCode(strict: strict)
        if code != 0 { throw ExitCode(code) }
    }
}
