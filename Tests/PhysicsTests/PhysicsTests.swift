import Foundation
import Physics
import Testing

/// Trajectories of `PhysicsEpisode`: free fall, settling on the floor, restitution and friction, determinism.
@Suite struct PhysicsTests {
    static let still = WorldParams(damping: 0)

    /// z of body `index` after each of `steps` steps.
    static func heights(_ params: WorldParams, _ bodies: [BodySpec], steps: Int, index: Int = 0) throws -> [Double] {
        let episode = try PhysicsEpisode(params: params, bodies: bodies)
        return (0..<steps).map { _ in
            episode.step(1)
            return episode.poses()[index].position.z
        }
    }

    @Test(arguments: [9.81, 3.7])
    func freeFallFollowsTheIntegrator(gravity: Double) throws {
        // Semi-implicit Euler (ODE's step): v_n = -g·dt·n, z_n = z_0 − g·dt²·n(n+1)/2, until the sphere reaches the floor.
        var params = Self.still
        params.gravity = gravity
        let z = try Self.heights(params, [BodySpec(shape: .sphere(radius: 0.1), position: [0, 0, 2])], steps: 30)
        for (i, h) in z.enumerated() {
            let n = Double(i + 1)
            #expect(abs(h - (2 - gravity * params.dt * params.dt * n * (n + 1) / 2)) < 1e-9)
        }
    }

    @Test(arguments: [Shape.sphere(radius: 0.1), .box([0.2, 0.3, 0.2]), .cylinder(radius: 0.1, length: 0.2)])
    func aDroppedBodySettlesAtItsRestingHeight(shape: Shape) throws {
        // Every one of these rests with its centre 0.1 m above the floor (box on its 0.2 m side, cylinder on its end);
        // ODE's cylinder–plane contact keeps a slow creep (a few cm/s), hence the speed bound.
        let episode = try PhysicsEpisode(params: WorldParams(), bodies: [BodySpec(shape: shape, position: [0, 0, 0.8])])
        episode.step(400)
        let pose = episode.poses()[0]
        #expect(abs(pose.position.z - 0.1) < 0.002)
        #expect(episode.maxSpeed() < 0.05)
    }

    @Test func higherRestitutionBouncesHigher() throws {
        func rebound(_ restitution: Double) throws -> Double {
            var params = Self.still
            params.restitution = restitution
            let z = try Self.heights(params, [BodySpec(shape: .sphere(radius: 0.1), position: [0, 0, 1])], steps: 150)
            let impact = z.indices.dropFirst().first { z[$0] < z[$0 - 1] && z[$0] <= z[$0 + 1] }!
            return z[impact...].max()! - 0.1
        }
        let low = try rebound(0.1), mid = try rebound(0.5), high = try rebound(0.9)
        #expect(low < 0.05)
        #expect(mid > low + 0.1)
        #expect(high > mid + 0.2)
        // Nothing bounces above where it fell from.
        #expect(high < 0.9)
    }

    @Test func frictionHoldsATopplingBox() throws {
        // A tall box dropped tilted onto its edge topples. Without friction the contact pushes only upwards, so the
        // centre of mass falls straight down; with friction the edge grips and the box rolls over it sideways.
        func drift(_ friction: Double) throws -> Double {
            var params = WorldParams(friction: friction, restitution: 0)
            params.damping = 0
            let angle = 0.4, c = cos(angle), s = sin(angle)
            let box = BodySpec(shape: .box([0.1, 0.1, 0.4]), position: [0, 0, 0.35], rotation: [1, 0, 0, 0, c, -s, 0, s, c])
            let episode = try PhysicsEpisode(params: params, bodies: [box])
            episode.step(300)
            let p = episode.poses()[0].position
            return (p.x * p.x + p.y * p.y).squareRoot()
        }
        let none = try drift(0), some = try drift(1)
        #expect(none < 1e-6)
        #expect(some > 0.05)
    }

    @Test func sameInputsGiveBitIdenticalTrajectories() throws {
        let params = WorldParams(gravity: 9.7, friction: 0.6, restitution: 0.3, massScale: 1.4, damping: 0.2)
        let bodies = [BodySpec(shape: .box([0.2, 0.1, 0.15]), position: [0, 0, 0.5], rotation: [0.8, -0.6, 0, 0.6, 0.8, 0, 0, 0, 1]),
                      BodySpec(shape: .capsule(radius: 0.05, length: 0.2), position: [0.05, 0.02, 0.9]),
                      BodySpec(shape: .sphere(radius: 0.07), position: [-0.03, 0.01, 1.2])]
        func trajectory(interleaved: Bool) throws -> [[Pose]] {
            let a = try PhysicsEpisode(params: params, bodies: bodies)
            // Another world stepped in between must not change this one (each keeps its own random state).
            let other = try PhysicsEpisode(params: WorldParams(), bodies: [BodySpec(shape: .sphere(radius: 0.1), position: [0, 0, 1])])
            return (0..<120).map { _ in
                a.step(2)
                if interleaved { other.step(3) }
                return a.poses()
            }
        }
        let first = try trajectory(interleaved: false)
        let again = try trajectory(interleaved: false)
        let mixed = try trajectory(interleaved: true)
        func bits(_ t: [[Pose]]) -> [UInt64] {
            t.flatMap { $0.flatMap { [$0.position.x, $0.position.y, $0.position.z] + $0.rotation } }.map(\.bitPattern)
        }
        #expect(bits(first) == bits(again))
        #expect(bits(first) == bits(mixed))
        // And the bodies did move: the test compares trajectories, not three resting poses.
        #expect(first[0][2].position.z < 1.2 && first.last![2].position.z < 0.5)
    }

    @Test func odeReportsItsVersionAndConfiguration() {
        #expect(ODELibrary.version.split(separator: ".").count >= 2)
        #expect(ODELibrary.configuration.contains("precision"))
    }
}
