#if DESCENT_FUZZ
import Foundation

// `make fuzz` builds `descent` with `-sanitize=fuzzer,address -DDESCENT_FUZZ`: then main.swift
// calls `fuzzMain`, which hands over to libFuzzer's driver (`LLVMFuzzerRunDriver`; SwiftPM's
// entry point stays the program's `main`, so libFuzzer's own is not linked: shared/NOTES.md).
// The target comes from FUZZ_TARGET; libFuzzer reads the arguments.

@_silgen_name("LLVMFuzzerRunDriver")
private func runDriver(_ argc: UnsafeMutablePointer<Int32>,
                       _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                       _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32) -> Int32

nonisolated(unsafe) private var selected = FuzzTarget.command

func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Int32 {
    let name = ProcessInfo.processInfo.environment["FUZZ_TARGET"] ?? ""
    guard let target = FuzzTarget(rawValue: name) else {
        let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")
        FileHandle.standardError.write(Data("FUZZ_TARGET must be one of: \(names)\n".utf8))
        return 2
    }
    selected = target
    if target == .predict { _ = FuzzPredictors.shared }   // train before the clock starts
    var count = argc
    var arguments: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = argv
    return runDriver(&count, &arguments) { data, size in
        selected.run(size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size)))
        return 0
    }
}
#endif
