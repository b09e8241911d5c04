import Foundation

/// Whether the dataset shows many scenes or repeats a few. A *layout* is what an episode's content parameters
/// put in front of the camera (docs/FORMATS.md, "Content and domain parameters"): where the objects drop and
/// how they are turned, the obstacles, and the camera's viewpoint on each frame. Two episodes with the same
/// content values show the same scene, whatever their lighting, materials or physics. A dataset with far fewer
/// distinct layouts than episodes trains a detector on a handful of scenes.
enum Layouts {
    /// The content parameters; the same list as `ParameterSpace.contentNames` (module Randomization), which
    /// the audit does not import (it reads any dataset through its manifest).
    static let contentNames: Set<String> = [
        "object_position", "drop_offset", "drop_rotation", "num_obstacles", "obstacle_size", "obstacle_position",
        "camera_azimuth", "camera_elevation", "camera_distance",
    ]

    /// The fewest distinct layouts `episodes` episodes may have: max(2, ⌈episodes / 2⌉).
    static func minimum(episodes: Int) -> Int { max(2, (episodes + 1) / 2) }

    /// The `layouts` check: fails when the episodes have fewer than `minimum(episodes:)` distinct layouts.
    static func check(_ scan: LogScan) -> AuditCheck {
        let episodes = scan.layoutHashes.count
        let declared = scan.contentParams.sorted().map { scan.params[$0].spec }
        func skipped(_ why: String) -> AuditCheck {
            AuditCheck(id: "layouts", kind: "layouts", parameters: declared.map(\.name), level: "episode", n: episodes,
                       verdict: .skipped, message: why)
        }
        guard !declared.isEmpty else { return skipped("no content parameter declared (docs/FORMATS.md lists them)") }
        guard episodes >= 2 else { return skipped("fewer than 2 episodes") }

        var count: [UInt64: Int] = [:]
        var first: [UInt64: Int32] = [:]
        for (i, h) in scan.layoutHashes.enumerated() {
            count[h, default: 0] += 1
            if first[h] == nil { first[h] = scan.episodeIds[i] }
        }
        let distinct = count.count
        let need = minimum(episodes: episodes)
        let fixed = declared.filter { !$0.distribution.isRandom }.map(\.name)
        if distinct >= need {
            return AuditCheck(id: "layouts", kind: "layouts", parameters: declared.map(\.name), level: "episode", n: episodes,
                              statistic: Double(distinct), effectSize: Double(distinct) / Double(episodes), verdict: .pass,
                              message: "\(distinct) distinct layouts (content parameters per episode) in \(episodes) episodes")
        }
        let (top, topCount) = count.max { a, b in a.value < b.value || (a.value == b.value && first[a.key]! > first[b.key]!) }!
        var message = "only \(distinct) distinct \(distinct == 1 ? "layout" : "layouts") in \(episodes) episodes "
        message += "(at least max(2, ⌈episodes/2⌉) = \(need) expected): the episodes repeat the same scenes; "
        message += "episode \(first[top]!)'s layout recurs in \(topCount) episodes"
        if !fixed.isEmpty {
            message += "; constant content parameters: \(fixed.joined(separator: ", "))"
        }
        return AuditCheck(id: "layouts", kind: "layouts", parameters: declared.map(\.name), level: "episode", n: episodes,
                          statistic: Double(distinct), effectSize: Double(distinct) / Double(episodes), verdict: .fail,
                          message: message)
    }
}
