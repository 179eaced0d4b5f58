import Testing
import CKernels
import NIOCore
import NIOPosix
@testable import Serving

@Suite struct EventLoopPlacementTests {
    /// The CPUs each loop of `group` may run on (a bit each).
    func masks(_ group: MultiThreadedEventLoopGroup) throws -> [UInt64] {
        try Array(group.makeIterator()).map { loop in try loop.submit { UInt64(descent_thread_cpu_mask()) }.wait() }
    }

    @Test func loopsAreKeptOnePerCPUAndLetGo() throws {
        let cpus = Int(descent_available_cpus())
        let all = UInt64(descent_thread_cpu_mask())
        let group = MultiThreadedEventLoopGroup(numberOfThreads: cpus)
        defer { try? group.syncShutdownGracefully() }
        #expect(try masks(group).allSatisfy { $0 == all })

        EventLoopPlacement.place(group, keep: true)
        let kept = try masks(group)
        if cpus >= 2 {
            #expect(kept.allSatisfy { $0.nonzeroBitCount == 1 && $0 & all == $0 }, "each loop on one of the CPUs: \(kept)")
            #expect(Set(kept).count == cpus, "each on a CPU of its own: \(kept)")
        } else {
            #expect(kept == [all])
        }

        EventLoopPlacement.place(group, keep: false)
        #expect(try masks(group).allSatisfy { $0 == all })
    }

    /// More loops than CPUs: left to the kernel.
    @Test func loopsNotOnePerCPUAreLeftAlone() throws {
        let all = UInt64(descent_thread_cpu_mask())
        let group = MultiThreadedEventLoopGroup(numberOfThreads: Int(descent_available_cpus()) + 1)
        defer { try? group.syncShutdownGracefully() }
        EventLoopPlacement.place(group, keep: true)
        #expect(try masks(group).allSatisfy { $0 == all })
    }
}
