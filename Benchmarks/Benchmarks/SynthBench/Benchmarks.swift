import Benchmark
import Generator
import Render
import Support

/// Tolerances of the checks against `Thresholds/` (p90 of a run against the committed p90, in percent): CPU time
/// of the benchmark thread within +100 % (sub-millisecond benchmarks such as a mask encode vary by 50–70 %
/// between runs on these shared 2-core machines; a 2× slowdown still fails), the wall clock (which also counts
/// waiting for a core) within +200 %, the number of allocations within ±10 %. Faster than the tolerance is reported (exit 4 of the
/// tool) but passes `scripts/check-benchmarks.sh`.
let tolerances: [BenchmarkMetric: BenchmarkThresholds] = [
    .threadCPU: .init(relative: [.p90: 100]),
    .wallClock: .init(relative: [.p90: 200]),
    .mallocCountTotal: .init(relative: [.p90: 10]),
]

let benchmarks = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.threadCPU, .wallClock, .mallocCountTotal],
        warmupIterations: 2,
        maxDuration: .seconds(2),
        maxIterations: 400,
        thresholds: tolerances
    )

    // Renderer stages, one frame per iteration, cycling through the episode's frames.
    var next = 0
    func frame() -> RenderInput { defer { next += 1 }; return Workload.frames[next % Workload.frames.count] }
    Benchmark("Render.rasterizeAndShade") { benchmark, renderer in
        let f = frame()
        blackHole(benchmark.measure { rasterizeAndShade(renderer, f) })
    } setup: {
        _ = Workload.frames
        return Renderer(width: Workload.width, height: Workload.height)
    }
    Benchmark("Render.postProcess") { benchmark, renderer in
        let f = frame()
        let shaded = rasterizeAndShade(renderer, f)
        blackHole(benchmark.measure { postProcess(renderer, shaded, f) })
    } setup: {
        _ = Workload.frames
        return Renderer(width: Workload.width, height: Workload.height)
    }

    // PNG encoding of each image kind of one rendered frame (the encoder kept warm, as in a render lane).
    for kind in ImageKind.allCases {
        Benchmark("PNG.encode.\(kind.rawValue)") { benchmark, input in
            let (encoder, pixels) = input
            blackHole(try benchmark.measure { try encodePNG(kind, pixels, with: encoder) })
        } setup: {
            (PNGEncoder(), FramePixels.episode[0])
        }
    }

    // COCO RLE of every visible instance of the episode's eight frames.
    Benchmark("RLE.encode") { benchmark, masks in
        blackHole(benchmark.measure { masks.map(encodeRLE) })
    } setup: {
        MaskInstance.all
    }

    Benchmark("Physics.episode") { benchmark in
        blackHole(try benchmark.measure { try simulateEpisode() })
    } setup: {
        _ = Workload.episode
    }

    Benchmark("Stats.kolmogorovSmirnov") { benchmark, sample in
        blackHole(try benchmark.measure { try kolmogorovSmirnov(sample) })
    } setup: {
        KSInput.sample
    }

    Benchmark("COCO.evaluate.bbox5K",
              configuration: .init(warmupIterations: 1, maxDuration: .seconds(10), maxIterations: 10)) { benchmark, input in
        blackHole(try benchmark.measure { try evaluateBoxes(input.0, input.1) })
    } setup: {
        (EvalInput.groundTruth, EvalInput.detections)
    }
}
