import DatasetFormat
import Foundation
import Physics
import Randomization
import Render
import Support

/// Runs the lanes. Frames are claimed in an order that keeps `envs` episodes in flight (frame t of each of
/// E episodes, then frame t+1, ...); each episode's physics advances in its own slot, strictly in frame
/// order; finished frames go to the journal in frame-id order whatever order the lanes finish them.
final class Engine {
    let options: GenerateOptions
    let plan: Plan
    let sampler: Sampler
    let resumeFrom: Int
    let journal: AppendFile
    let onFrame: ((Int) throws -> Void)?
    let condition = NSCondition()
    var slots: [Slot]
    var cursor: ClaimOrder
    var failure: Error?
    var pending: [Int: JournalRecord] = [:]
    var nextToJournal: Int
    var written = 0
    private(set) var stages = StageTimes()
    private(set) var bytes = 0
    let progress: ProgressBar

    final class Slot {
        var episode = -1
        var values: [String: ParamValue] = [:]
        var bodies: [BodySpec] = []
        var world: PhysicsEpisode?
        var nextIndex = 0
        var busy = false
    }

    init(options: GenerateOptions, plan: Plan, resumeFrom: Int, journal: AppendFile, onFrame: ((Int) throws -> Void)?) {
        self.options = options; self.plan = plan; self.resumeFrom = resumeFrom; self.journal = journal; self.onFrame = onFrame
        sampler = Sampler(config: options.config, seed: options.seed)
        slots = (0..<options.envs).map { _ in Slot() }
        cursor = ClaimOrder(plan: plan, envs: options.envs, resumeFrom: resumeFrom)
        nextToJournal = resumeFrom
        progress = ProgressBar(total: plan.frameRange.upperBound - resumeFrom, label: "generate", enabled: options.progress)
    }

    func firstIndex(of k: Int) -> Int { max(plan.indices(of: k).lowerBound, resumeFrom - k * plan.framesPerEpisode) }

    func run() throws {
        let laneCount = max(1, min(options.lanes, plan.frameRange.upperBound - resumeFrom))
        let group = DispatchGroup()
        for _ in 0..<laneCount {
            group.enter()
            let thread = Thread { [self] in
                let producer = FrameProducer(config: options.config, seed: options.seed, directory: options.output)
                do { try laneLoop(producer) } catch { fail(error) }
                condition.lock(); stages = stages + producer.times; condition.unlock()
                group.leave()
            }
            thread.stackSize = 4 << 20
            thread.start()
        }
        group.wait()
        progress.finish()
        if let failure { throw failure }
        try journal.flush()
    }

    func fail(_ error: Error) {
        condition.lock()
        if failure == nil { failure = error }
        condition.broadcast()
        condition.unlock()
    }

    func laneLoop(_ producer: FrameProducer) throws {
        while true {
            condition.lock()
            guard failure == nil, let (k, t) = cursor.next() else { condition.unlock(); return }
            let slot = slots[(k - plan.episodes.lowerBound) % options.envs]
            while failure == nil && !ready(slot, k, t) { condition.wait() }
            if failure != nil { condition.unlock(); return }
            slot.busy = true
            condition.unlock()

            var times = StageTimes()
            let t0 = monotonicSeconds()
            if slot.episode != k {
                slot.world = nil
                slot.values = sampler.episode(k)
                slot.bodies = SceneBuilder.bodies(slot.values, objects: options.config.objects)
                slot.episode = k
            }
            let sample = sampler.frame(episode: k, index: t, episodeValues: slot.values)
            let t1 = monotonicSeconds()
            if slot.world == nil {
                slot.world = try PhysicsEpisode(params: SceneBuilder.worldParams(slot.values, dt: options.config.physicsDt),
                                                bodies: slot.bodies)
            }
            let world = slot.world!
            world.step(sample.step - world.stepCount)
            let job = FrameJob(sample: sample, bodies: slot.bodies, poses: world.poses())
            let last = t + 1 >= plan.indices(of: k).upperBound
            if last { slot.world = nil }
            let t2 = monotonicSeconds()
            times.sampling = t1 - t0; times.physics = t2 - t1

            condition.lock()
            slot.nextIndex = t + 1
            slot.busy = false
            condition.broadcast()
            condition.unlock()

            producer.times = producer.times + times
            let record = try producer.produce(job)
            try submit(record)
        }
    }

    /// May frame t of episode k take its slot now?
    func ready(_ slot: Slot, _ k: Int, _ t: Int) -> Bool {
        if slot.busy { return false }
        if slot.episode == k { return slot.nextIndex == t }
        let previousDone = slot.episode < 0 || slot.nextIndex >= plan.indices(of: slot.episode).upperBound
        return previousDone && t == firstIndex(of: k)
    }

    func submit(_ record: JournalRecord) throws {
        condition.lock()
        defer { condition.unlock() }
        pending[record.frame] = record
        while let r = pending.removeValue(forKey: nextToJournal) {
            journal.append(r.line)
            bytes += r.files.reduce(0) { $0 + $1.bytes }
            nextToJournal += 1
            written += 1
        }
        try journal.flushIfLarge()
        if pending.isEmpty { try journal.flush() }
        progress.update(written)
        do { try onFrame?(written) } catch {
            try journal.flush()
            throw error
        }
    }
}

/// The claim order: groups of `envs` episodes; within a group frame index t of each episode, then t + 1.
struct ClaimOrder {
    let plan: Plan
    let envs: Int
    let resumeFrom: Int
    var groupStart: Int
    var t = 0
    var e = 0

    init(plan: Plan, envs: Int, resumeFrom: Int) {
        self.plan = plan; self.envs = envs; self.resumeFrom = resumeFrom
        groupStart = plan.episodes.lowerBound
    }

    mutating func next() -> (Int, Int)? {
        let f = plan.framesPerEpisode
        while groupStart < plan.episodes.upperBound {
            let groupEnd = min(groupStart + envs, plan.episodes.upperBound)
            while t < f {
                while groupStart + e < groupEnd {
                    let k = groupStart + e
                    e += 1
                    let frame = k * f + t
                    if frame >= resumeFrom && plan.frameRange.contains(frame) { return (k, t) }
                }
                e = 0; t += 1
            }
            t = 0; groupStart = groupEnd
        }
        return nil
    }
}
