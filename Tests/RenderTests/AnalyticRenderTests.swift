import Testing
import Foundation
@testable import Render

/// Renders of scenes whose answers are known in closed form.
@Suite struct AnalyticRenderTests {
    static let w = 160, h = 120

    static func scene(_ objects: [SceneObject] = [], floorHalfSize: Float = 100) -> Scene {
        Scene(objects: objects, floor: .plain, floorHalfSize: floorHalfSize, background: SIMD3(0.2, 0.4, 0.9),
              sun: Sun(azimuthDegrees: 30, elevationDegrees: 60, intensity: 1, color: SIMD3(1, 1, 1)))
    }

    static let quiet = SensorSettings(noiseStd: 0, noiseKey: 1)

    @Test(arguments: [0.5, 1.25, 3.0, 7.5])
    func floorSeenStraightDownHasExactDepth(height: Float) {
        let r = Renderer(width: Self.w, height: Self.h)
        let cam = Camera(position: SIMD3(0.3, -0.2, height), target: SIMD3(0.3, -0.2, 0), focalLengthMM: 20, fNumber: 16,
                         focusDistance: height)
        let img = r.render(Self.scene(), camera: cam, sensor: Self.quiet)
        let expected = Int((height * 1000).rounded())
        for p in 0..<(Self.w * Self.h) {
            #expect(abs(Int(img.depth[p]) - expected) <= 1, "pixel \(p)")
            if abs(Int(img.depth[p]) - expected) > 1 { return }
        }
    }

    @Test func obliqueFloorDepthIsZDepthNotRayLength() {
        // Camera at height 2 looking along a 45° downward axis: the central pixel's ray hits the floor at
        // z-depth 2·√2 along the axis.
        let r = Renderer(width: Self.w, height: Self.h)
        let cam = Camera(position: SIMD3(0, -2, 2), target: SIMD3(0, 0, 0), focalLengthMM: 30)
        let img = r.render(Self.scene(), camera: cam, sensor: Self.quiet)
        // Pixel centres straddle the axis; average the four central pixels' depths.
        let c = [(Self.h / 2 - 1) * Self.w + Self.w / 2 - 1, (Self.h / 2 - 1) * Self.w + Self.w / 2,
                 (Self.h / 2) * Self.w + Self.w / 2 - 1, (Self.h / 2) * Self.w + Self.w / 2]
        let mean = c.map { Double(img.depth[$0]) }.reduce(0, +) / 4
        #expect(abs(mean - 2 * 2.0.squareRoot() * 1000) < 15)
    }

    @Test func backgroundHasNoDepthAndNoId() {
        let r = Renderer(width: Self.w, height: Self.h)
        let cam = Camera(position: SIMD3(0, 0, 1), target: SIMD3(0, 10, 1.5), focalLengthMM: 30)
        let img = r.render(Self.scene(floorHalfSize: 3), camera: cam, sensor: Self.quiet)
        let top = 0   // the top row looks above the horizon
        for x in 0..<Self.w {
            #expect(img.depth[top * Self.w + x] == 0)
            #expect(img.ids[top * Self.w + x] == 0)
            // Background pixels show the background colour exactly (no noise): sRGB 0.2, 0.4, 0.9.
            #expect(abs(Int(img.rgb[3 * x]) - 51) <= 1)
            #expect(abs(Int(img.rgb[3 * x + 1]) - 102) <= 1)
            #expect(abs(Int(img.rgb[3 * x + 2]) - 230) <= 1)
        }
    }

    @Test(arguments: [(Float(0.3), Float(2.0), Float(25)), (0.15, 1.5, 35), (0.5, 4.0, 15)])
    func sphereMaskAreaMatchesItsProjection(radius: Float, distance: Float, focal: Float) {
        let w = 320, h = 240
        let r = Renderer(width: w, height: h)
        let sphere = SceneObject(primitive: .sphere(radius: radius), position: SIMD3(0, 0, 1),
                                 material: Material(albedo: SIMD3(0.8, 0.2, 0.2), roughness: 0.5, metallic: 0), id: 7)
        let cam = Camera(position: SIMD3(0, -distance, 1), target: SIMD3(0, 0, 1), focalLengthMM: focal)
        let img = r.render(Self.scene([sphere]), camera: cam, sensor: Self.quiet)
        let area = (0..<(w * h)).filter { img.ids[$0] == 7 }.count
        // A sphere on the optical axis projects to a circle of radius f·r/√(d² − r²) (in pixels).
        let fpx = Double(focal) / 36 * Double(w)
        let rr = Double(radius), dd = Double(distance)
        let circle = Double.pi * pow(fpx * rr / (dd * dd - rr * rr).squareRoot(), 2)
        #expect(abs(Double(area) - circle) / circle < 0.02, "area \(area) vs \(circle)")
        // Depth at the centre is the distance to the sphere's front.
        let centre = (h / 2) * w + w / 2
        #expect(abs(Double(img.depth[centre]) - Double(distance - radius) * 1000) <= 2)
    }

    @Test func zeroDistortionIsTheIdentity() {
        let r = Renderer(width: Self.w, height: Self.h)
        let box = SceneObject(primitive: .box(halfExtents: SIMD3(0.3, 0.2, 0.25)), position: SIMD3(0.1, 0, 0.25),
                              material: Material(albedo: SIMD3(0.2, 0.7, 0.2), roughness: 0.4, metallic: 0.3), id: 3)
        let cam = Camera(position: SIMD3(1.5, -2, 1.6), target: SIMD3(0, 0, 0.2), focalLengthMM: 24)
        let plain = r.render(Self.scene([box]), camera: cam, sensor: Self.quiet)
        let a = (Array(plain.rgb), Array(plain.depth), Array(plain.ids))
        #expect((0..<(Self.w * Self.h)).allSatisfy { r.remap[$0] == Int32($0) })
        // Rendering again gives the same bytes (no hidden state).
        let again = r.render(Self.scene([box]), camera: cam, sensor: Self.quiet)
        #expect(Array(again.rgb) == a.0 && Array(again.depth) == a.1 && Array(again.ids) == a.2)
    }

    @Test(arguments: [(Float(-0.12), Float(0.01), Float(0.001), Float(-0.0015)), (0.05, -0.02, 0, 0.002)])
    func distortionMovesRGBDepthAndIdsTogether(k1: Float, k2: Float, p1: Float, p2: Float) {
        let r = Renderer(width: Self.w, height: Self.h)
        let objects = [
            SceneObject(primitive: .box(halfExtents: SIMD3(0.3, 0.2, 0.25)), position: SIMD3(0.4, 0, 0.25),
                        material: Material(albedo: SIMD3(0.2, 0.7, 0.2), roughness: 0.4, metallic: 0.3), id: 3),
            SceneObject(primitive: .capsule(radius: 0.15, halfLength: 0.2), position: SIMD3(-0.5, 0.2, 0.3),
                        material: Material(albedo: SIMD3(0.9, 0.1, 0.1), roughness: 0.6, metallic: 0), id: 5),
        ]
        var cam = Camera(position: SIMD3(1.5, -2, 1.6), target: SIMD3(0, 0, 0.2), focalLengthMM: 24)
        let sharp = r.render(Self.scene(objects), camera: cam, sensor: Self.quiet)
        let rgb0 = Array(sharp.rgb), depth0 = Array(sharp.depth), ids0 = Array(sharp.ids)
        cam.k1 = k1; cam.k2 = k2; cam.p1 = p1; cam.p2 = p2
        let bent = r.render(Self.scene(objects), camera: cam, sensor: Self.quiet)
        var moved = 0
        for p in 0..<(Self.w * Self.h) {
            let s = Int(r.remap[p])
            if s != p { moved += 1 }
            if s < 0 {
                #expect(bent.ids[p] == 0 && bent.depth[p] == 0)
                continue
            }
            // Every output pixel carries the id, depth and colour of the same source pixel.
            #expect(bent.ids[p] == ids0[s])
            #expect(bent.depth[p] == depth0[s])
            #expect(bent.rgb[3 * p] == rgb0[3 * s] && bent.rgb[3 * p + 2] == rgb0[3 * s + 2])
            if bent.ids[p] != ids0[s] { return }
        }
        #expect(moved > Self.w * Self.h / 4)
    }

    @Test func noiseHasTheDeclaredStandardDeviation() {
        let r = Renderer(width: Self.w, height: Self.h)
        let cam = Camera(position: SIMD3(0, 0, 1), target: SIMD3(0, 10, 1.5), focalLengthMM: 30)
        let clean = Array(r.render(Self.scene(floorHalfSize: 3), camera: cam, sensor: Self.quiet).rgb)
        let noisy = Array(r.render(Self.scene(floorHalfSize: 3), camera: cam, sensor: SensorSettings(noiseStd: 0.02, noiseKey: 9)).rgb)
        let diffs = zip(clean, noisy).filter { $0.0 > 20 && $0.0 < 235 }.map { Double(Int($0.1) - Int($0.0)) }
        let mean = diffs.reduce(0, +) / Double(diffs.count)
        let sd = (diffs.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(diffs.count)).squareRoot()
        // Zero-mean noise; the clean image's own rounding can shift the mean by at most half a level.
        #expect(abs(mean) < 0.5)
        #expect(abs(sd - 0.02 * 255) / (0.02 * 255) < 0.05, "sd \(sd)")
    }
}
