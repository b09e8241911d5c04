import Foundation
@testable import Grading
import Testing

@Suite struct RubricTests {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    @Test func builtInRubricIsTheFixture() throws {
        let text = try String(contentsOfFile: Self.repo + "/fixtures/rubrics/chapter4.yaml", encoding: .utf8)
        #expect(text == Rubric.chapter4YAML)
        let r = Rubric.chapter4()
        #expect(r.id == "chapter4")
        #expect(r.accuracy == AccuracyDefinition(statistic: .ap50, iouType: "bbox"))
    }

    /// Every acceptance threshold of the chapter is a check with the seed's number.
    @Test func chapterThresholds() throws {
        let r = Rubric.chapter4()
        func check(_ id: String) -> RubricCheck { r.checks.first { $0.id == id }! }
        #expect(check("obj8.frames_per_hour").threshold == .value(100_000))
        #expect(check("lab1.gain").threshold == .value(10) && check("lab1.gain").expected == 10...15)
        #expect(check("lab2.envs").threshold == .value(64))
        #expect(check("lab2.frames").threshold == .value(50_000))
        #expect(check("lab2.seconds").comparator == .lt && check("lab2.seconds").threshold == .value(600))
        #expect(check("lab3.time_saving").threshold == .value(20))
        #expect(check("ex1.frames").threshold == .value(100_000))
        #expect(check("ex1.size").threshold == .range(40, 60))
        #expect(check("ex2.full_better").test == .pairedBootstrap && check("ex2.full_better").alpha == 0.05)
        #expect(check("ex3.speedup").threshold == .range(10, 50))
        #expect(check("ex3.accuracy_loss").comparator == .lt && check("ex3.accuracy_loss").threshold == .value(10))
        #expect(check("ex4.gap").threshold == .value(10) && check("ex4.gap").test == .bootstrapCI)
        #expect(check("capstone.frames").threshold == .value(10_000))
        #expect(check("capstone.accuracy").comparator == .gt && check("capstone.accuracy").threshold == .value(80))
        #expect(Set(r.exercises.map(\.id)) == ["general", "obj8", "lab1", "lab2", "lab3", "ex1", "ex2", "ex3", "ex4", "capstone"])
    }
}
