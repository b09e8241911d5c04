/// Counter-based random numbers: every value is a pure function of a key and a counter, so any stream
/// (an episode, a frame, a pixel row) can be regenerated alone, in any order, on any thread.
/// The mixer is SplitMix64's finalizer applied to a Weyl sequence; keys combine with `key(_:...)`.
public struct CounterRNG: RandomNumberGenerator, Sendable {
    public let key: UInt64
    public private(set) var counter: UInt64

    public init(key: UInt64, counter: UInt64 = 0) { self.key = key; self.counter = counter }

    /// A stream keyed by several integers (seed, episode, frame, purpose...).
    public init(_ parts: UInt64...) { self.init(key: CounterRNG.key(parts)) }

    @inline(__always)
    public static func mix(_ z0: UInt64) -> UInt64 {
        var z = z0
        z = (z ^ (z >> 30)) &* 0xbf58476d1ce4e5b9
        z = (z ^ (z >> 27)) &* 0x94d049bb133111eb
        return z ^ (z >> 31)
    }

    public static func key(_ parts: [UInt64]) -> UInt64 {
        var k: UInt64 = 0x243f6a8885a308d3
        for p in parts { k = mix(k ^ mix(p &+ 0x9e3779b97f4a7c15)) }
        return k
    }

    /// The value at `counter` of stream `key`, without state.
    @inline(__always)
    public static func value(key: UInt64, counter: UInt64) -> UInt64 {
        mix(key &+ (counter &+ 1) &* 0x9e3779b97f4a7c15)
    }

    @inline(__always)
    public mutating func next() -> UInt64 {
        let v = CounterRNG.value(key: key, counter: counter)
        counter &+= 1
        return v
    }

    /// Uniform in [0, 1) with 53 random bits.
    @inline(__always)
    public mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// Standard normal by Box–Muller (two uniforms per value; the second is discarded to keep streams simple).
    public mutating func normal() -> Double {
        var u1 = unit()
        while u1 <= 0 { u1 = unit() }
        let u2 = unit()
        return (-2 * _log(u1)).squareRoot() * _cos(2 * Double.pi * u2)
    }
}

#if canImport(Glibc)
import Glibc
@inline(__always) func _log(_ x: Double) -> Double { Glibc.log(x) }
@inline(__always) func _cos(_ x: Double) -> Double { Glibc.cos(x) }
#else
import Darwin
@inline(__always) func _log(_ x: Double) -> Double { Darwin.log(x) }
@inline(__always) func _cos(_ x: Double) -> Double { Darwin.cos(x) }
#endif
