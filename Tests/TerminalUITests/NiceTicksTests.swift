import Testing
import TerminalUI

@Suite("Nice ticks")
struct NiceTicksTests {
    func labels(_ ticks: [NiceTicks.Tick]) -> [String] { ticks.map(\.label) }

    @Test func linearTicksAreNiceInsideTheRangeAndAtMostMaxCount() {
        #expect(labels(NiceTicks.linear(from: 0, to: 10, maxCount: 3)) == ["0", "5", "10"])
        #expect(labels(NiceTicks.linear(from: 0.09, to: 1.1, maxCount: 6)) == ["0.2", "0.4", "0.6", "0.8", "1.0"])
        #expect(labels(NiceTicks.linear(from: -9.7, to: 9.1, maxCount: 4)) == ["-5", "0", "5"])
        #expect(labels(NiceTicks.linear(from: 0, to: 1481, maxCount: 4)) == ["0", "500", "1000"])
        #expect(labels(NiceTicks.linear(from: 0.2131, to: 0.2139, maxCount: 3)) == ["0.2132", "0.2136"])
        #expect(labels(NiceTicks.linear(from: 10, to: 0, maxCount: 6)) == ["0", "2", "4", "6", "8", "10"])
    }

    @Test func everyLinearResultRespectsItsContract() {
        for (lo, hi) in [(0.0, 1.0), (-3.3, 17.0), (1e-7, 3e-7), (0.5, 0.5000001), (-1e9, 1e9), (123.0, 124.0)] {
            for maxCount in 1...12 {
                let ticks = NiceTicks.linear(from: lo, to: hi, maxCount: maxCount)
                #expect(ticks.count <= maxCount)
                #expect(!ticks.isEmpty)
                #expect(ticks.allSatisfy { $0.value >= lo - 1e-9 * abs(lo) && $0.value <= hi + 1e-9 * abs(hi) })
                #expect(zip(ticks, ticks.dropFirst()).allSatisfy { $0.value < $1.value })
            }
        }
    }

    @Test func degenerateInputs() {
        #expect(labels(NiceTicks.linear(from: 3, to: 3, maxCount: 5)) == ["3"])
        #expect(NiceTicks.linear(from: 0, to: .infinity, maxCount: 5).isEmpty)
        #expect(NiceTicks.linear(from: .nan, to: 1, maxCount: 5).isEmpty)
        #expect(NiceTicks.linear(from: 0, to: 1, maxCount: 0).isEmpty)
        #expect(labels(NiceTicks.linear(from: 0, to: 1, maxCount: 1)) == ["0"])
        #expect(NiceTicks.logarithmic(from: -1, to: 10, maxCount: 5).isEmpty)
    }

    @Test func logarithmicTicksArePowersOfTenThinnedToFit() {
        #expect(labels(NiceTicks.logarithmic(from: 0.01, to: 10, maxCount: 5)) == ["0.01", "0.1", "1", "10"])
        #expect(labels(NiceTicks.logarithmic(from: 0.5, to: 30, maxCount: 8)) == ["0.5", "1", "2", "5", "10", "20"])
        #expect(labels(NiceTicks.logarithmic(from: 1e-6, to: 1, maxCount: 4)) == ["1e-6", "1e-4", "0.01", "1"])
        #expect(labels(NiceTicks.logarithmic(from: 1e-8, to: 1e8, maxCount: 3)) == ["1e-5", "1", "1e5"])
        // Within one decade: linear ticks.
        #expect(labels(NiceTicks.logarithmic(from: 0.21, to: 0.45, maxCount: 3)) == ["0.3", "0.4"])
    }

    @Test func labelsUseTheStepsDecimalsOrExponents() {
        #expect(NiceTicks.label(0.5, step: 0.1) == "0.5")
        #expect(NiceTicks.label(3, step: 0.25) == "3.00")
        #expect(NiceTicks.label(-0.0, step: 1) == "0")
        #expect(NiceTicks.label(2e-5, step: 1e-5) == "2e-5")
        #expect(NiceTicks.label(3_000_000, step: 1e6) == "3e6")
        #expect(NiceTicks.label(20000, step: 5000) == "20000")
        #expect(NiceTicks.niceStep(atLeast: 0.3) == 0.5)
        #expect(NiceTicks.niceStep(atLeast: 7) == 10)
        #expect(NiceTicks.niceStep(atLeast: 2) == 2)
    }
}
