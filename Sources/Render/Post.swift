import Support

// Post-processing of the shaded planes: thin-lens depth of field in source space, packing of each source pixel
// (tone-curve indices, id, depth), then one pass per output row that applies the distortion remap and sensor
// noise and writes the three outputs. Eight pixels per step except for table lookups.

extension Renderer {
    /// A circle of confusion below a quarter pixel (radius) counts as in focus.
    static let inFocusRadius: Float = 0.25

    /// Thin-lens circle of confusion: radius in pixels r(z) = k·|z − s| / z (k at infinite distance).
    struct Lens {
        var active: Bool
        var k: Float
        var focus: Float
        @inline(__always) func radius(_ z: Float) -> Float { z > 0 ? k * abs(z - focus) / z : k }
        @inline(__always) func radius8(_ z: F8) -> F8 { (k * abs8(z - focus) / z).replacing(with: k, where: z .<= 0) }
    }

    /// Layered thin-lens depth of field. When any pixel's circle of confusion reaches `inFocusRadius`, makes two
    /// blurred copies of the image (box radius 1 and 3 at half resolution, i.e. about 2 and 6 px) and blends
    /// every pixel, in place, between the sharp image and those by its own circle of confusion r: sharp → A
    /// over r ∈ [0, 2], A → B over r ∈ [2, 6], B beyond; r < `inFocusRadius` stays sharp.
    func depthOfField(camera: Camera, nearest: Float) {
        let f = camera.focalLengthMM / 1000
        let s = max(camera.focusDistance, f * 1.01)
        let apertureDiameter = f / camera.fNumber
        let pitch = camera.sensorWidthMM / 1000 / Float(width)
        let k = apertureDiameter * f / (s - f) / pitch / 2
        var lens = Lens(active: false, k: k, focus: s)
        // r(z) is largest at the nearest surface or at infinity (k).
        let maxRadius = max(k, nearest < .infinity ? lens.radius(nearest) : 0)
        if maxRadius < Renderer.inFocusRadius { return }
        lens.active = true
        // The wider layer is needed only where some circle of confusion exceeds 2 px.
        let wide = maxRadius > 2
        // One channel at a time through the half-resolution planes; only the widened layers keep all three.
        for c in 0..<3 {
            downsample(hdr + c * count, to: half)
            boxBlur(half, to: blurA, radius: 1)
            if wide { boxBlur(half, to: blurB, radius: 3) }
            for y in 0..<halfH {
                widen(blurA + y * halfW, to: wideA + (c * halfH + y) * width)
                if wide { widen(blurB + y * halfW, to: wideB + (c * halfH + y) * width) }
            }
        }
        blend(lens, wide: wide)
    }

    /// 2×2 mean of one full-resolution plane (edge pixels repeat when a dimension is odd).
    func downsample(_ src: UnsafeMutablePointer<Float>, to dst: UnsafeMutablePointer<Float>) {
        let pairs = width / 2, quads = pairs / 4
        for y in 0..<halfH {
            let a = src + min(2 * y, height - 1) * width, b = src + min(2 * y + 1, height - 1) * width
            let out = dst + y * halfW
            for q in 0..<quads {
                let s = UnsafeRawPointer(a + 8 * q).loadUnaligned(as: F8.self) + UnsafeRawPointer(b + 8 * q).loadUnaligned(as: F8.self)
                UnsafeMutableRawPointer(out + 4 * q).storeBytes(of: 0.25 * (s.evenHalf + s.oddHalf), as: SIMD4<Float>.self)
            }
            for x in (4 * quads)..<pairs { out[x] = 0.25 * ((a[2 * x] + a[2 * x + 1]) + (b[2 * x] + b[2 * x + 1])) }
            if halfW > pairs { out[pairs] = 0.5 * (a[width - 1] + b[width - 1]) }
        }
    }

    /// Separable box blur of one half-resolution plane with clamped edges.
    func boxBlur(_ src: UnsafeMutablePointer<Float>, to dst: UnsafeMutablePointer<Float>, radius: Int) {
        let w = halfW, h = halfH
        let norm = 1 / Float(2 * radius + 1)
        let padded = rows                       // w + 2·radius, then padding to whole vectors
        for y in 0..<h {
            let row = src + y * w, out = scratch + y * w
            (padded + radius).update(from: row, count: w)
            for i in 0..<radius { padded[i] = row[0]; padded[radius + w + i] = row[w - 1] }
            for block in 0..<((w + 7) >> 3) {
                let x = 8 * block
                var sum = UnsafeRawPointer(padded + x).loadUnaligned(as: F8.self)
                for j in 1...(2 * radius) { sum += UnsafeRawPointer(padded + x + j).loadUnaligned(as: F8.self) }
                store8(sum * norm, out, x, w)
            }
        }
        let sum = rows
        for x in 0..<w { sum[x] = 0 }
        for i in -radius...radius {
            let row = scratch + min(max(i, 0), h - 1) * w
            for block in 0..<((w + 7) >> 3) { let x = 8 * block; store8(load8(sum, x, w) + load8(row, x, w), sum, x, w) }
        }
        for y in 0..<h {
            let out = dst + y * w
            let add = scratch + min(y + radius + 1, h - 1) * w, sub = scratch + max(y - radius, 0) * w
            for block in 0..<((w + 7) >> 3) {
                let x = 8 * block
                let s = load8(sum, x, w)
                store8(s * norm, out, x, w)
                store8(s + (load8(add, x, w) - load8(sub, x, w)), sum, x, w)
            }
        }
    }

    /// One half-resolution row bilinearly upsampled 2× horizontally to full width: output x sits at half-resolution
    /// x/2 − 0.25, clamped at the edges.
    func widen(_ row: UnsafeMutablePointer<Float>, to out: UnsafeMutablePointer<Float>) {
        let v = rows                            // halfW + 2, edge-padded, then padding to whole vectors
        v[0] = row[0]
        (v + 1).update(from: row, count: halfW)
        v[halfW + 1] = row[halfW - 1]
        for k in 0..<8 { v[halfW + 2 + k] = row[halfW - 1] }
        let pairs = width / 2, quads = pairs / 4
        for q in 0..<quads {
            let i = 4 * q
            let a = UnsafeRawPointer(v + i).loadUnaligned(as: SIMD4<Float>.self)
            let b = UnsafeRawPointer(v + i + 1).loadUnaligned(as: SIMD4<Float>.self)
            let c = UnsafeRawPointer(v + i + 2).loadUnaligned(as: SIMD4<Float>.self)
            let even = 0.25 * a + 0.75 * b, odd = 0.75 * b + 0.25 * c
            let pair = F8(even[0], odd[0], even[1], odd[1], even[2], odd[2], even[3], odd[3])
            UnsafeMutableRawPointer(out + 2 * i).storeBytes(of: pair, as: F8.self)
        }
        for i in (4 * quads)..<pairs {
            out[2 * i] = 0.25 * v[i] + 0.75 * v[i + 1]
            out[2 * i + 1] = 0.75 * v[i + 1] + 0.25 * v[i + 2]
        }
        if width > 2 * pairs { out[width - 1] = 0.25 * v[pairs] + 0.75 * v[pairs + 1] }
    }

    /// Blends every pixel of `hdr` between sharp, A and B by its circle of confusion (see `depthOfField`).
    func blend(_ lens: Lens, wide: Bool) {
        let wS = rows, wA = rows + width + 8, wB = rows + 2 * (width + 8)
        let inFocus = Renderer.inFocusRadius
        for y in 0..<height {
            let z = zbuf + y * width
            var widest = F8(repeating: 0)
            for block in 0..<((width + 7) >> 3) {
                let x = 8 * block
                let r = lens.radius8(load8(z, x, width))
                var t1 = (r * 0.5).replacing(with: 1, where: r .> 2)
                t1 = t1.replacing(with: 0, where: r .< inFocus)
                var t2 = (r - 2) * 0.25
                t2 = t2.replacing(with: 0, where: t2 .< 0).replacing(with: 1, where: t2 .> 1)
                UnsafeMutableRawPointer(wS + x).storeBytes(of: 1 - t1, as: F8.self)
                UnsafeMutableRawPointer(wA + x).storeBytes(of: t1 * (1 - t2), as: F8.self)
                UnsafeMutableRawPointer(wB + x).storeBytes(of: t2, as: F8.self)
                widest = widest.replacing(with: r, where: r .> widest)
            }
            if maxLane(widest) < inFocus { continue }
            // Source row y sits at half-resolution row (y + 0.5)/2 − 0.5.
            let fy = (Float(y) + 0.5) * 0.5 - 0.5
            let y0 = max(0, min(halfH - 1, Int(floorFast(fy)))), y1 = min(halfH - 1, y0 + 1)
            let wy = max(0, min(1, fy - Float(y0)))
            for c in 0..<3 {
                let a0 = wideA + (c * halfH + y0) * width, a1 = wideA + (c * halfH + y1) * width
                let b0 = wideB + (c * halfH + y0) * width, b1 = wideB + (c * halfH + y1) * width
                let sharp = hdr + c * count + y * width
                for block in 0..<((width + 7) >> 3) {
                    let x = 8 * block
                    let a = load8(a0, x, width) + (load8(a1, x, width) - load8(a0, x, width)) * wy
                    let s = load8(sharp, x, width)
                    let ws = UnsafeRawPointer(wS + x).loadUnaligned(as: F8.self)
                    let wa = UnsafeRawPointer(wA + x).loadUnaligned(as: F8.self)
                    var blended = s * ws + a * wa
                    if wide {
                        let b = load8(b0, x, width) + (load8(b1, x, width) - load8(b0, x, width)) * wy
                        blended += b * UnsafeRawPointer(wB + x).loadUnaligned(as: F8.self)
                    }
                    store8(blended, sharp, x, width)
                }
            }
        }
    }

    /// Packs each source pixel for the final gather: tone-curve indices of R and G (`packLo`), of B and the
    /// instance id (`packHi`), z-depth in millimetres (`depthMM`, 0 = no hit). Sequential, eight pixels a step.
    func pack(objects: [Prepared]) {
        let ids: [UInt16] = [0] + objects.map(\.id)
        let low = Float(bitPattern: ToneCurve.base << 13)
        let high = Float(bitPattern: (ToneCurve.base + UInt32(ToneCurve.count) - 1) << 13)
        let red = hdr, green = hdr + count, blue = hdr + 2 * count
        let zbuf = self.zbuf, index = self.index, lo = packLo, hi = packHi, depth = depthMM
        @inline(__always) func tone(_ plane: UnsafeMutablePointer<Float>, _ p: Int) -> SIMD8<UInt32> {
            let v = min8(max8(UnsafeRawPointer(plane + p).loadUnaligned(as: F8.self), F8(repeating: low)), F8(repeating: high))
            return unsafeBitCast(v, to: SIMD8<UInt32>.self) &>> 13 &- ToneCurve.base
        }
        ids.withUnsafeBufferPointer { ids in
            var p = 0
            while p + 8 <= count {
                let z = UnsafeRawPointer(zbuf + p).loadUnaligned(as: F8.self)
                let mm = min8(max8(z * 1000 + 0.5, F8(repeating: 1)), F8(repeating: 65535)).replacing(with: 0, where: z .<= 0)
                UnsafeMutableRawPointer(depth + p).storeBytes(of: SIMD8<UInt16>(truncatingIfNeeded: trunc8(mm)),
                                                             as: SIMD8<UInt16>.self)
                UnsafeMutableRawPointer(lo + p).storeBytes(of: tone(red, p) | tone(green, p) &<< 16, as: SIMD8<UInt32>.self)
                let b = tone(blue, p)
                // The instance id is a table lookup per pixel: lanes read out of `b`, results stored as scalars
                // (a vector store read back in parts would stall).
                for k in 0..<8 { hi[p + k] = b[k] | UInt32(ids[Int(index[p + k])]) << 16 }
                p += 8
            }
            while p < count {
                @inline(__always) func toneOne(_ x: Float) -> UInt32 { min(max(x, low), high).bitPattern >> 13 - ToneCurve.base }
                let z = zbuf[p]
                depth[p] = z > 0 ? UInt16(min(max(z * 1000 + 0.5, 1), 65535)) : 0
                lo[p] = toneOne(red[p]) | toneOne(green[p]) << 16
                hi[p] = toneOne(blue[p]) | UInt32(ids[Int(index[p])]) << 16
                p += 1
            }
        }
    }

    /// Writes the outputs: each output pixel takes depth, id and (depth-of-field) colour from its source pixel
    /// under the distortion remap (as packed by `pack`); colour goes through the tone curve, then gets
    /// Gaussian noise, then 8 bits. Outside the remap: depth 0, id 0, black (plus noise).
    func finish(sensor: SensorSettings) {
        let noiseScale = sensor.noiseStd * 255
        let noisy = noiseScale > 0
        // The noise table holds +0.5 for rounding (all of it without noise).
        gaussianTable.withUnsafeBufferPointer { g in for i in 0..<4096 { noise[i] = g[i] * noiseScale + 0.5 } }
        let stride = width + 8
        let draws = finishIndices                       // noise indices, R G B rows
        if !noisy { draws.update(repeating: 0, count: 3 * stride) }
        ToneCurve.table.withUnsafeBufferPointer { lut in
            for py in 0..<height {
                let row = py * width
                // Noise draws: a counter hash of (frame, row, pixel).
                if noisy {
                    let rowKey = CounterRNG.key([sensor.noiseKey, UInt64(py)])
                    let keyA = UInt32(truncatingIfNeeded: rowKey), keyB = UInt32(truncatingIfNeeded: rowKey >> 32)
                    var px = 0
                    while px < width {
                        let counter = SIMD8<UInt32>(0, 1, 2, 3, 4, 5, 6, 7) &+ UInt32(px)
                        let h1 = hash32(counter ^ keyA), h2 = hash32(counter ^ keyB)
                        UnsafeMutableRawPointer(draws + px).storeBytes(of: h1 & 4095, as: SIMD8<UInt32>.self)
                        UnsafeMutableRawPointer(draws + stride + px).storeBytes(of: (h1 &>> 12) & 4095, as: SIMD8<UInt32>.self)
                        UnsafeMutableRawPointer(draws + 2 * stride + px).storeBytes(of: h2 & 4095, as: SIMD8<UInt32>.self)
                        px += 8
                    }
                }
                outputRow(width: width, remap: remap + row, lo: packLo, hi: packHi, depth: depthMM, lut: lut.baseAddress!,
                          noise: noise, draws: draws, stride: stride,
                          rgb: outRGB + 3 * row, outDepth: outDepth + row, outIds: outIds + row)
            }
        }
    }
}

/// One output row: the gather through the remap, the tone curve, noise and 8 bits.
@inline(never)
func outputRow(width: Int, remap: UnsafeMutablePointer<Int32>, lo: UnsafeMutablePointer<UInt32>,
               hi: UnsafeMutablePointer<UInt32>, depth: UnsafeMutablePointer<UInt16>, lut: UnsafePointer<Float>,
               noise: UnsafePointer<Float>, draws: UnsafeMutablePointer<UInt32>, stride: Int,
               rgb: UnsafeMutablePointer<UInt8>, outDepth: UnsafeMutablePointer<UInt16>, outIds: UnsafeMutablePointer<UInt16>) {
    let dR = draws, dG = draws + stride, dB = draws + 2 * stride
    let black = ToneCurve.blackIndex
    for px in 0..<width {
        let s = Int(remap[px])
        var l = black | black << 16, h = black
        if s >= 0 { l = lo[s]; h = hi[s]; outDepth[px] = depth[s] } else { outDepth[px] = 0 }
        outIds[px] = UInt16(truncatingIfNeeded: h >> 16)
        rgb[3 * px] = UInt8(min(max(lut[Int(l & 0xFFFF)] + noise[Int(dR[px])], 0), 255.4))
        rgb[3 * px + 1] = UInt8(min(max(lut[Int(l >> 16)] + noise[Int(dG[px])], 0), 255.4))
        rgb[3 * px + 2] = UInt8(min(max(lut[Int(h & 0xFFFF)] + noise[Int(dB[px])], 0), 255.4))
    }
}

/// A 32-bit integer hash per lane (two multiply–xorshift rounds), for noise draws.
@inline(__always) func hash32(_ v: SIMD8<UInt32>) -> SIMD8<UInt32> {
    var x = v
    x ^= x &>> 16; x = x &* 0x7FEB_352D; x ^= x &>> 15; x = x &* 0x846C_A68B; x ^= x &>> 16
    return x
}
