import Foundation
import Support

extension GenerateSummary {
    /// What `synthbench generate` prints for the run into `out`: one line for a dataset that was already complete,
    /// else the totals, the stage times and the render and post parts (ms per frame, summed over lanes).
    public func text(out: String) -> String {
        if alreadyComplete { return "\(out): already complete (\(framesTotal) frames)\n" }
        let per = Double(max(framesWritten, 1))
        let stageList = StageTimes.names.enumerated().map { i, n in
            String(format: "%@ %.2f", n, stages.values[i] / per * 1000)
        }.joined(separator: ", ")
        let parts = StageTimes.partNames.enumerated().map { i, n in
            String(format: "%@ %.2f", n, stages.parts[i] / per * 1000)
        }.joined(separator: ", ")
        return String(format: "%@: %d frames in %.2f s (%.0f frames/hour), %.1f MB, peak RSS %.1f MB%@",
                      out, framesWritten, seconds, framesPerHour, Double(bytes) / 1e6, Double(peakRSS) / 1e6,
                      resumedFrom.map { ", resumed at frame \($0)" } ?? "") + "\n"
            + "stage ms/frame (summed over lanes): \(stageList)\n"
            + "render and post parts ms/frame: \(parts)\n"
    }

    /// `--json`: `out`, `already_complete`, `frames_written`, `frames_total`, `seconds`, `frames_per_hour`, `bytes`,
    /// `peak_rss_bytes`, `resumed_from` (null unless resumed), `stage_ms_per_frame` (stage → ms, summed over lanes).
    public func json(out: String) -> String {
        let per = Double(max(framesWritten, 1))
        let stageList = StageTimes.names.enumerated().map { i, n in (n, JSONText.number(stages.values[i] / per * 1000)) }
        return JSONText.object([
            ("out", JSONText.string(out)), ("already_complete", alreadyComplete ? "true" : "false"),
            ("frames_written", String(framesWritten)), ("frames_total", String(framesTotal)),
            ("seconds", JSONText.number(seconds)), ("frames_per_hour", JSONText.number(framesPerHour)),
            ("bytes", String(bytes)), ("peak_rss_bytes", String(peakRSS)),
            ("resumed_from", resumedFrom.map { String($0) } ?? "null"),
            ("stage_ms_per_frame", JSONText.object(stageList)),
        ])
    }
}

extension EncodeCeiling.Result {
    /// What `synthbench ceiling` prints: the ceiling, the setting taken per kind with every candidate timed,
    /// and the same frames with the generator's settings and with libpng at format 1's settings.
    public func text(lanes: Int) -> String {
        var out = [String(format: "encode ceiling: %d frames in %.2f s on %d lanes = %.1f frames/s (%.0f frames/hour)",
                          frames, seconds, lanes, framesPerSecond, framesPerSecond * 3600)]
        out.append(String(format: "  the generator's settings: %.1f frames/s (%.3f of the ceiling)",
                          generatorSettingsFramesPerSecond, generatorSettingsFramesPerSecond / framesPerSecond))
        let library = EncodeCeiling.Kind.allCases.map { "\($0.rawValue) \(choice.librarySettings[$0].map { "\($0)" } ?? "?")" }
        out.append(String(format: "  the best of the libraries alone: %.1f frames/s (%.3f of the ceiling): ",
                          libraryFramesPerSecond, libraryFramesPerSecond / framesPerSecond) + library.joined(separator: ", "))
        out.append(String(format: "  libpng at format 1's settings (the former ceiling): %.1f frames/s (%.3f of the ceiling)",
                          libpngFormat1FramesPerSecond, libpngFormat1FramesPerSecond / framesPerSecond))
        out.append(String(format: "  %.0f bytes per frame with the chosen settings (100K frames: %.1f GB): the fastest combination "
                          + "of one setting per kind with frames at most %.2f× the smallest", choice.bytesPerFrame,
                          choice.bytesPerFrame * 1e5 / 1e9, EncodeCeiling.sizeBand))
        for kind in EncodeCeiling.Kind.allCases {
            guard let list = choice.candidates[kind] else { continue }
            out.append("  \(kind.rawValue): \(choice.settings[kind].map { "\($0)" } ?? "?") ")
            for c in list.sorted(by: { $0.msPerImage < $1.msPerImage }) {
                let mark = c.settings == choice.settings[kind] ? "*" : " "
                let name = "\(c.settings)".padding(toLength: 28, withPad: " ", startingAt: 0)
                out.append("   \(mark) \(name)" + String(format: " %8.3f ms %10.0f bytes", c.msPerImage, c.bytesPerImage))
            }
        }
        return out.joined(separator: "\n")
    }
}
