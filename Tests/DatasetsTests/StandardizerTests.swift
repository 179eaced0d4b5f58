import Datasets
import TensorCore
import Testing

@Suite("Standardizer")
struct StandardizerTests {
    @Test("fitted columns come out with mean ≈ 0 and deviation ≈ 1")
    func zeroMeanUnitDeviation() throws {
        let data = try generate(.plane, n: 500)
        let shifted = data.features.map { $0 * 30 + 7 }
        let s = Standardizer(fitting: shifted)
        let z = s.applied(to: shifted)
        for c in 0..<2 {
            let column = (0..<z.rows).map { z.scalars[$0 * 2 + c] }
            let (mean, deviation) = meanAndDeviation(column)
            #expect(abs(mean) < 1e-5)
            #expect(abs(deviation - 1) < 1e-4)
        }
    }

    @Test("statistics are the column means and population deviations")
    func statistics() throws {
        let x = try Tensor(rows: [[1, 10], [3, 10], [5, 10]])
        let s = Standardizer(fitting: x)
        #expect(s.means == [3, 10])
        #expect(abs(s.deviations[0] - (8.0 / 3.0).squareRoot()) < 1e-6)
    }

    @Test("a zero-variance column keeps deviation 1 and is only centred")
    func zeroVariance() throws {
        let x = try Tensor(rows: [[1, 0.1], [3, 0.1], [5, 0.1], [7, 0.1]])
        let s = Standardizer(fitting: x)
        #expect(s.deviations[1] == 1)
        let z = s.applied(to: x)
        #expect((0..<4).allSatisfy { abs(z.scalars[$0 * 2 + 1]) < 1e-6 })
        #expect(z.isFinite)
    }

    @Test("apply(to:) in place equals applied(to:), and restored inverts it")
    func inPlaceAndInverse() throws {
        let x = try generate(.gauss).features
        let s = Standardizer(fitting: x)
        var inPlace = x
        s.apply(to: &inPlace)
        #expect(inPlace == s.applied(to: x))
        let back = s.restored(inPlace)
        #expect(zip(back.scalars, x.scalars).allSatisfy { abs($0 - $1) < 1e-4 })
    }

    @Test("validation data is standardised with the training statistics")
    func trainStatisticsOnValidation() throws {
        var rng = SeededGenerator(seed: 3)
        let (train, validation) = try generate(.circle).split(trainFraction: 0.8, rng: &rng)
        let s = Standardizer(fitting: train.features)
        let v = validation.standardized(by: s)
        #expect(v.features == s.applied(to: validation.features))
        #expect(v.targets == validation.targets)
        #expect(v.count == validation.count)
    }
}
