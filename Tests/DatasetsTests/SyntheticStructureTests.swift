import Datasets
import Foundation
import TensorCore
import Testing

@Suite("Synthetic data: each generator's geometry")
struct SyntheticStructureTests {
    @Test("circle without noise: class 0 inside radius 2.5, class 1 in the ring 3.5…5")
    func circleClean() throws {
        let data = try generate(.circle, noise: 0)
        for r in 0..<data.count {
            let p = row(data.features, r)
            let radius = (p[0] * p[0] + p[1] * p[1]).squareRoot()
            if data.labels[r] == 0 { #expect(radius <= 2.5 + 1e-4) } else { #expect(radius >= 3.5 - 1e-4 && radius <= 5 + 1e-4) }
        }
    }

    @Test("circle with noise: the label still correlates strongly with the radius")
    func circleCorrelation() throws {
        let data = try generate(.circle, noise: 0.3)
        let radii = (0..<data.count).map { r -> Float in
            let p = row(data.features, r)
            return (p[0] * p[0] + p[1] * p[1]).squareRoot()
        }
        let labels = data.targets.scalars
        let (mr, sr) = meanAndDeviation(radii), (ml, sl) = meanAndDeviation(labels)
        let covariance = zip(radii, labels).reduce(0) { $0 + (Double($1.0) - mr) * (Double($1.1) - ml) }
            / Double(data.count)
        #expect(covariance / (sr * sl) > 0.7)
    }

    @Test("xor without noise: the label is the sign of x·y, with a 0.3 gap around the axes")
    func xorClean() throws {
        let data = try generate(.xor, noise: 0)
        for r in 0..<data.count {
            let p = row(data.features, r)
            #expect(abs(p[0]) >= 0.3 && abs(p[1]) >= 0.3)
            #expect(abs(p[0]) <= 5.3 && abs(p[1]) <= 5.3)
            #expect((p[0] * p[1] > 0) == (data.labels[r] == 1))
        }
    }

    @Test("xor covers all four quadrants")
    func xorQuadrants() throws {
        let data = try generate(.xor)
        let quadrants = Set((0..<data.count).map { r -> Int in
            let p = row(data.features, r)
            return (p[0] > 0 ? 1 : 0) + (p[1] > 0 ? 2 : 0)
        })
        #expect(quadrants.count == 4)
    }

    @Test("spiral without noise: every point lies on its arm, t = 1.75·2π·r/5 + δ")
    func spiralClean() throws {
        let data = try generate(.spiral, noise: 0)
        for r in 0..<data.count {
            let p = row(data.features, r)
            let radius = (p[0] * p[0] + p[1] * p[1]).squareRoot()
            #expect(radius < 5)
            let t = 1.75 * 2 * Float.pi * radius / 5 + (data.labels[r] == 0 ? 0 : .pi)
            #expect(abs(p[0] - radius * sin(t)) < 1e-3 && abs(p[1] - radius * cos(t)) < 1e-3)
        }
    }

    @Test("noise 0.1 is mild and 0.5 hard for every kind (leave-one-out 1-NN accuracy)",
          arguments: [SyntheticKind.circle, .xor, .gauss, .spiral, .moons, .blobs])
    func noiseCalibration(kind: SyntheticKind) throws {
        let mild = leaveOneOutNearestNeighbourAccuracy(try generate(kind, noise: 0.1))
        let hard = leaveOneOutNearestNeighbourAccuracy(try generate(kind, noise: 0.5))
        #expect(mild > 0.95)
        #expect(hard < 0.9 && hard > 0.6)
    }

    @Test("gauss: class means sit near (−2, −2) and (2, 2)")
    func gaussCentres() throws {
        let data = try generate(.gauss, n: 2000)
        for (label, centre) in [(0, Float(-2)), (1, Float(2))] {
            let rows = (0..<data.count).filter { data.labels[$0] == label }
            for c in 0..<2 {
                let mean = rows.reduce(0) { $0 + data.features.scalars[$1 * 2 + c] } / Float(rows.count)
                #expect(abs(mean - centre) < 0.15)
            }
        }
    }

    @Test("moons without noise: points lie on the two unit half circles")
    func moonsClean() throws {
        let data = try generate(.moons, noise: 0)
        for r in 0..<data.count {
            let p = row(data.features, r)
            let (cx, cy): (Float, Float) = data.labels[r] == 0 ? (0, 0) : (1, 0.5)
            let radius = ((p[0] - cx) * (p[0] - cx) + (p[1] - cy) * (p[1] - cy)).squareRoot()
            #expect(abs(radius - 1) < 1e-4)
            #expect(data.labels[r] == 0 ? p[1] >= -1e-4 : p[1] <= 0.5 + 1e-4)
        }
    }

    @Test("blobs: each class's mean sits at its centre on the radius-5 circle, within 4 standard errors", arguments: [2, 3, 7, 10])
    func blobCentres(classes k: Int) throws {
        let data = try generate(.blobs, n: 200 * k, noise: 0.1, classes: k)
        // Cluster deviation d·√(1/36 + noise²/4), d = 10·sin(π/k); allow 4 standard errors.
        let d = 10 * sin(Float.pi / Float(k))
        let tolerance = 4 * d * (1 / 36 + 0.01 / 4 as Float).squareRoot() / Float(200).squareRoot()
        for label in 0..<k {
            let rows = (0..<data.count).filter { data.labels[$0] == label }
            let phi = Float.pi / 2 + 2 * Float.pi * Float(label) / Float(k)
            let mx = rows.reduce(0) { $0 + data.features.scalars[$1 * 2] } / Float(rows.count)
            let my = rows.reduce(0) { $0 + data.features.scalars[$1 * 2 + 1] } / Float(rows.count)
            #expect(abs(mx - 5 * cos(phi)) < tolerance && abs(my - 5 * sin(phi)) < tolerance)
        }
    }
}
