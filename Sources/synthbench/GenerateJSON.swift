import Generator
import Support

extension GenerateCommand {
    /// `--json`: `out`, `already_complete`, `frames_written`, `frames_total`, `seconds`, `frames_per_hour`, `bytes`,
    /// `peak_rss_bytes`, `resumed_from` (null unless resumed), `stage_ms_per_frame` (stage → ms, summed over lanes).
    func summaryJSON(_ s: GenerateSummary) -> String {
        let per = Double(max(s.framesWritten, 1))
        let stages = StageTimes.names.enumerated().map { i, n in (n, JSONText.number(s.stages.values[i] / per * 1000)) }
        return JSONText.object([
            ("out", JSONText.string(out)), ("already_complete", s.alreadyComplete ? "true" : "false"),
            ("frames_written", String(s.framesWritten)), ("frames_total", String(s.framesTotal)),
            ("seconds", JSONText.number(s.seconds)), ("frames_per_hour", JSONText.number(s.framesPerHour)),
            ("bytes", String(s.bytes)), ("peak_rss_bytes", String(s.peakRSS)),
            ("resumed_from", s.resumedFrom.map { String($0) } ?? "null"),
            ("stage_ms_per_frame", JSONText.object(stages)),
        ])
    }
}
