import Foundation
import FoundationXML
import BenchFormat
@testable import Harness
import Support
import Testing
import TestSupport

@Suite struct AssembleTests {
    @Test func derivedFiguresFollowFromTheMeasurements() throws {
        let r = try Fixture.result(Fixture.Spec(noise: 0))
        #expect(r.referenceCell == BenchResult.CellKey(envs: 8, lanes: 2))
        #expect(r.cells.map(\.key) == [.init(envs: 1, lanes: 1), .init(envs: 8, lanes: 1), .init(envs: 1, lanes: 2), .init(envs: 8, lanes: 2)])
        let ref = r.cell(r.referenceCell)!
        #expect(ref.framesPerSecond.median == 55 && ref.framesPerHour.median == 55 * 3600)
        #expect(abs(ref.ratio.median - 55.0 / 195) < 1e-6)
        #expect(ref.effectiveEnvs == 8)  // 96 frames = 12 episodes
        // Lane scaling: 55/30 speedup, 195/100 for the ceiling.
        let l = r.laneScaling!
        #expect(l.lanes == [1, 2] && l.baseLanes == 1 && l.envs == 8)
        #expect(l.speedup == [1, (55.0 / 30).rounded(toPlaces: 4)])
        #expect(l.efficiency[1] == (55.0 / 60).rounded(toPlaces: 4))
        #expect(l.ceilingSpeedup[1] == 1.95)
        #expect(l.relativeEfficiency[1] == (55.0 / 30 / 1.95).rounded(toPlaces: 4))
        // Memory: the fit recovers 200 kB per env and 40 MB fixed within the ±50 kB noise.
        let m = r.memory!
        #expect(abs(m.bytesPerEnv - 200_000) < 2_000 && abs(m.fixedBytes - 40e6) < 60_000)
        #expect(m.r2! > 0.999 && m.bytesPerEnvSamples.count == 8)
        // Stages: shares add up to 1.
        #expect(abs(r.stages.share.values.reduce(0, +) - 1) < 1e-3)
        #expect(r.encodeCeiling.framesPerSecond == 195 && r.encodeCeiling.lanes == 2)
        #expect(r.encodeCeiling.perLanes.map(\.lanes) == [1, 2])
    }

    @Test func objectives() throws {
        let r = try Fixture.result(Fixture.Spec(noise: 0))
        let o = Dictionary(uniqueKeysWithValues: r.extrapolations.objectives.map { ($0.name, $0) })
        // 510 kB per frame → 51 GB for 100K frames: inside Exercise 1's 40–60 GB.
        #expect(o["exercise1_disk_100k"]!.value == 51e9 && o["exercise1_disk_100k"]!.pass)
        #expect(o["exercise1_time_100k"]!.value == (100_000 / 55.0).rounded(toPlaces: 1))
        // 50K frames at 55 frames/s = 909 s > 600 s; no 64-envs cell, so a note says where it came from.
        let lab = o["lab2_50k_frames_64_envs"]!
        #expect(!lab.pass && lab.note!.contains("no cell with 64 envs"))
        #expect(o["frames_per_hour_100k"]!.pass && o["frames_per_hour_100k"]!.value == 198_000)
        // With a 64-envs cell measured on too few frames, the note says so.
        let r64 = try Fixture.result(Fixture.Spec(noise: 0, envs: [1, 64], frames: 96))
        let lab64 = r64.extrapolations.objectives.first { $0.name == "lab2_50k_frames_64_envs" }!
        #expect(lab64.cell == .init(envs: 64, lanes: 2) && lab64.note!.contains("only 12 episodes"))
    }

    @Test func summaryText() throws {
        let text = try Fixture.result().summaryText()
        for s in ["frames/h", "ratio", "stages (envs 8, lanes 2)", "lane scaling", "memory (peak RSS", "encode ceiling", "PASS",
                  "FAIL", "Lab 2"] {
            #expect(text.contains(s), "missing \(s)")
        }
    }
}

@Suite(.tags(.slow)) struct MemoryProbeTests {
    let log = Fixture.tempPath("probe") + ".log"

    @Test func measuresTheChildsPeak() throws {
        // dd reads into a 64 MiB buffer: the child's peak RSS is at least that, the parent's heap is not counted.
        let bytes = try MemoryProbe.peakRSS(executable: "/bin/dd", arguments: ["if=/dev/zero", "of=/dev/null", "bs=64M", "count=1"],
                                            log: log, what: "dd")
        #expect(bytes > 64 << 20 && bytes < 200 << 20)
        // posix_spawn starts the child on this process's memory (vfork), and exec records that memory's peak
        // in the child's ru_maxrss: a child smaller than its spawner reports about the spawner's peak.
        let small = try MemoryProbe.peakRSS(executable: "/bin/sh", arguments: ["-c", "true"], log: log, what: "sh")
        #expect(small > 0 && small <= peakResidentBytes() + (8 << 20))
    }

    @Test func aChildThatFailsIsReportedWithItsMessage() throws {
        do {
            _ = try MemoryProbe.peakRSS(executable: "/bin/sh", arguments: ["-c", "echo 'disk full' >&2; exit 3"], log: log, what: "probe")
            Issue.record("no error")
        } catch let e as MemoryProbe.ChildFailure {
            #expect(e.status == 3 && e.signal == nil)
            #expect(e.description == "probe exited with status 3: disk full")
        }
    }

    @Test func aChildKilledByASignalIsReported() throws {
        do {
            _ = try MemoryProbe.peakRSS(executable: "/bin/sh", arguments: ["-c", "kill -9 $$"], log: log, what: "probe")
            Issue.record("no error")
        } catch let e as MemoryProbe.ChildFailure {
            #expect(e.signal == 9 && e.status == nil)
            #expect(e.description.contains("killed by signal 9"))
        }
    }

    @Test func aMissingExecutable() throws {
        #expect(throws: MemoryProbe.ChildFailure.self) {
            try MemoryProbe.peakRSS(executable: "/nonexistent/synthbench", arguments: [], log: log, what: "probe")
        }
    }
}

@Suite struct MachineTests {
    @Test func fingerprintOfThisMachine() {
        let m = Machine.current()
        #expect(m.cores >= 1 && m.memoryBytes > 1 << 26)
        #expect(!m.cpuModel.isEmpty && !m.kernel.isEmpty && !m.arch.isEmpty)
        // Read from the loaded libraries themselves.
        #expect(m.libpng.hasPrefix("1."), "\(m.libpng)")
        #expect(m.gsl.hasPrefix("2."), "\(m.gsl)")
        #expect(m.sameHardware(as: m))
        #expect(m.softwareDifferences(from: m).isEmpty)
        var other = m
        other.cores += 1
        #expect(!m.sameHardware(as: other))
        other = m
        other.libpng = "1.6.0"
        #expect(m.sameHardware(as: other) && m.softwareDifferences(from: other) == ["libpng: 1.6.0 → \(m.libpng)"])
    }

    /// A bundle has no git tree: its script names the commit, which wins over any repository around the run;
    /// a malformed value is ignored, and outside a repository with no bundle there is no revision.
    @Test func sourceRevisionOfABundleComesFromItsScript() throws {
        let commit = String(repeating: "ab12", count: 10)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("norepo-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let bundled = SourceRevision.current(directory: dir, environment: ["SYNTHBENCH_SOURCE_COMMIT": commit, "SYNTHBENCH_SOURCE_DIRTY": "true"])
        #expect(bundled?.commit == commit && bundled?.dirty == true)
        #expect(SourceRevision.current(directory: dir, environment: ["SYNTHBENCH_SOURCE_COMMIT": commit])?.dirty == false)
        #expect(SourceRevision.current(directory: dir, environment: ["SYNTHBENCH_SOURCE_COMMIT": "$(rm -rf)"]) == nil)
        #expect(SourceRevision.current(directory: dir, environment: [:]) == nil)
    }
}

@Suite struct CompareReportTests {
    func report() throws -> CompareReport {
        var other = try Fixture.result(Fixture.Spec(machineSpeed: 3, seed: 3, machine: Fixture.otherMachine, lanes: [1, 2, 4, 8]))
        other.target = "workstation"
        return CompareReport([.init(file: "results/a.json", result: try Fixture.result()),
                              .init(file: "results/b.json", result: other),
                              .init(file: "results/c.json", result: try Fixture.result(Fixture.Spec(seed: 9)))])
    }

    @Test func markdownHasEveryTargetAndSection() throws {
        let r = try report()
        #expect(r.labels == ["fixture (a.json)", "workstation", "fixture (c.json)"])
        let md = r.markdown()
        for s in ["# SynthBench comparison", "## Machines", "## Headline", "## Throughput per cell", "## Ratio to the encode ceiling",
                  "## Lane scaling", "## Peak RSS", "## Stage breakdown", "## Objectives", "Other CPU", "| 8, 2 |", "| 8 |"] {
            #expect(md.contains(s), "missing \(s)")
        }
        // Every table row has as many cells as its header.
        for line in md.split(separator: "\n") where line.hasPrefix("| ") {
            #expect(line.components(separatedBy: " | ").count == 4, "\(line)")
        }
    }

    @Test func escapesNames() throws {
        var r = try Fixture.result()
        r.target = "<b>&\"x\""
        let html = CompareReport([.init(file: "x.json", result: r)]).html()
        #expect(!html.contains("<b>&\"x") && html.contains("&lt;b&gt;&amp;&quot;x&quot;"))
    }
}
