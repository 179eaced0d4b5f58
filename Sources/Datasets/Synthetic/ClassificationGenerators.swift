import Foundation
import TensorCore

/// The 2-D classification generators; formulas are on the `SyntheticKind` cases.
/// Each takes the noise already resolved, appends rows class by class, and always draws the same
/// random numbers whatever the noise, so a seed fixes the clean points.
enum ClassificationGenerators {
    /// Disk (class 0) inside a ring (class 1), TensorFlow Playground's geometry with R = 5.
    static func circle(count n: Int, noise: Float, rng: inout SeededGenerator,
                       into samples: inout SampleBuffer) {
        let radius: Float = 5
        let sigma = noise * radius / 2
        for (label, size) in balancedSizes(total: n, parts: 2).enumerated() {
            let (low, high) = label == 0 ? (0, radius * 0.5) : (radius * 0.7, radius)
            for _ in 0..<size {
                let r = rng.uniform(low, high)
                let angle = rng.uniform(0, 2 * .pi)
                let dx = rng.normal(deviation: sigma), dy = rng.normal(deviation: sigma)
                samples.append(r * sin(angle) + dx, r * cos(angle) + dy, target: Float(label))
            }
        }
    }

    /// Quadrants: class 1 where x·y > 0, class 0 where x·y < 0, a 0.3 gap along both axes.
    static func xor(count n: Int, noise: Float, rng: inout SeededGenerator,
                    into samples: inout SampleBuffer) {
        let half: Float = 5, padding: Float = 0.3
        let sigma = noise * half / 2
        for (label, size) in balancedSizes(total: n, parts: 2).enumerated() {
            for _ in 0..<size {
                let ax = rng.uniform(0, half) + padding
                let ay = rng.uniform(0, half) + padding
                let sx: Float = rng.uniform() < 0.5 ? -1 : 1
                let sy = label == 1 ? sx : -sx
                let dx = rng.normal(deviation: sigma), dy = rng.normal(deviation: sigma)
                samples.append(sx * ax + dx, sy * ay + dy, target: Float(label))
            }
        }
    }

    /// Two Gaussian blobs at (−2, −2) and (2, 2) with deviation √(1 + (4·noise)²).
    static func gauss(count n: Int, noise: Float, rng: inout SeededGenerator,
                      into samples: inout SampleBuffer) {
        let centres: [(Float, Float)] = [(-2, -2), (2, 2)]
        let sigma = (1 + (4 * noise) * (4 * noise)).squareRoot()
        for (label, size) in balancedSizes(total: n, parts: 2).enumerated() {
            let (cx, cy) = centres[label]
            for _ in 0..<size {
                let x = rng.normal(mean: cx, deviation: sigma)
                let y = rng.normal(mean: cy, deviation: sigma)
                samples.append(x, y, target: Float(label))
            }
        }
    }

    /// Two arms: r = 5·i/m, t = 1.75·2π·i/m + δ, point (r sin t, r cos t) + N(0, noise²).
    static func spiral(count n: Int, noise: Float, rng: inout SeededGenerator,
                       into samples: inout SampleBuffer) {
        for (label, m) in balancedSizes(total: n, parts: 2).enumerated() {
            let delta: Float = label == 0 ? 0 : .pi
            for i in 0..<m {
                let fraction = Float(i) / Float(m)
                let r = 5 * fraction
                let t = 1.75 * fraction * 2 * .pi + delta
                let dx = rng.normal(deviation: noise), dy = rng.normal(deviation: noise)
                samples.append(r * sin(t) + dx, r * cos(t) + dy, target: Float(label))
            }
        }
    }

    /// scikit-learn's make_moons: two interleaved half circles of radius 1 + N(0, noise²).
    static func moons(count n: Int, noise: Float, rng: inout SeededGenerator,
                      into samples: inout SampleBuffer) {
        for (label, m) in balancedSizes(total: n, parts: 2).enumerated() {
            for i in 0..<m {
                let t = m > 1 ? Float.pi * Float(i) / Float(m - 1) : 0
                let (x, y) = label == 0 ? (cos(t), sin(t)) : (1 - cos(t), 0.5 - sin(t))
                let dx = rng.normal(deviation: noise), dy = rng.normal(deviation: noise)
                samples.append(x + dx, y + dy, target: Float(label))
            }
        }
    }

    /// k Gaussian clusters with centres on a circle of radius 5 (see `SyntheticKind.blobs`).
    static func blobs(count n: Int, classes k: Int, noise: Float, rng: inout SeededGenerator,
                      into samples: inout SampleBuffer) {
        let radius: Float = 5
        let d = 2 * radius * sin(.pi / Float(k))
        let own = d / 6, jitter = noise * d / 2
        let sigma = (own * own + jitter * jitter).squareRoot()
        for (label, size) in balancedSizes(total: n, parts: k).enumerated() {
            let phi = Float.pi / 2 + 2 * .pi * Float(label) / Float(k)
            let (cx, cy) = (radius * cos(phi), radius * sin(phi))
            for _ in 0..<size {
                let x = rng.normal(mean: cx, deviation: sigma)
                let y = rng.normal(mean: cy, deviation: sigma)
                samples.append(x, y, target: Float(label))
            }
        }
    }
}
