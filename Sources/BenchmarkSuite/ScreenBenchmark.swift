import Foundation
import TerminalUI
import WorkbenchCore
import WorkbenchUI
import Models

/// What drawing the screen costs the training: the same run (W3's network on 500 xor points,
/// batch 10, 300 epochs, full pace) measured with the UI thread drawing the whole workbench at
/// 30 frames per second (poll, render every pane into a 120×40 `Buffer`, diff it against the
/// previous frame: everything the ncurses backend does but the final write) and with the UI
/// thread only polling at the same rate. Pairs alternate; the figure is the median ratio.
@MainActor
public enum ScreenBenchmark {
    public struct Result: Sendable {
        public var screenOn: [Double]
        public var headless: [Double]
        public var ratios: [Double]
        public var frameMilliseconds: [Double]
    }

    static let script = ["seed 3", "data xor n=500", "model dense 8 tanh | dense 8 tanh | dense 1 sigmoid",
                         "optimizer adam lr=0.01", "batch 10", "set pace max"]

    /// One run of `script` for `epochs` epochs at full pace, the UI thread ticking at 30 Hz and,
    /// when `drawing`, rendering and diffing the 120×40 workbench each tick; `afterTick` sees
    /// the app after every tick. Returns the app (after a last tick), the run's wall time and
    /// the frames drawn with the time they took.
    static func trainAt30Hz(epochs: Int, drawing: Bool, afterTick: (WorkbenchApp) -> Void = { _ in })
        -> (app: WorkbenchApp, seconds: Double, frames: Int, frameNanos: UInt64) {
        let app = WorkbenchApp(themesFolder: nil)
        for line in script { app.submit(line) }
        var buffer = Buffer(width: 120, height: 40)
        var previous = buffer
        let input = InputLine(prompt: "descent> ", text: "", cursor: 0)
        app.submit("train epochs=\(epochs)")
        let start = DispatchTime.now().uptimeNanoseconds
        var frames = 0, frameNanos: UInt64 = 0
        while app.session.isBusy {
            let t0 = DispatchTime.now().uptimeNanoseconds
            app.tick()
            if drawing {
                _ = app.render(into: &buffer, input: input)
                _ = buffer.changes(from: previous)
                previous = buffer
                frames += 1
                frameNanos += DispatchTime.now().uptimeNanoseconds - t0
            }
            afterTick(app)
            let spent = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
            Thread.sleep(forTimeInterval: max(0, 1.0 / 30 - spent))
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        app.tick()
        return (app, seconds, frames, frameNanos)
    }

    /// Updates per second for one run, drawing frames or not; also the mean frame time.
    static func measure(drawing: Bool, epochs: Int) -> (rate: Double, frameMs: Double) {
        let r = trainAt30Hz(epochs: epochs, drawing: drawing)
        let updates = r.app.session.display.currentRun?.updates ?? 0
        return (Double(updates) / r.seconds, r.frames > 0 ? Double(r.frameNanos) / Double(r.frames) / 1e6 : 0)
    }

    public static func run(pairs: Int = 5, epochs: Int = 300) -> Result {
        _ = measure(drawing: false, epochs: 20)
        var on: [Double] = [], off: [Double] = [], ratios: [Double] = [], frames: [Double] = []
        for _ in 0..<pairs {
            let a = measure(drawing: true, epochs: epochs)
            let b = measure(drawing: false, epochs: epochs)
            on.append(a.rate); off.append(b.rate); ratios.append(a.rate / b.rate); frames.append(a.frameMs)
        }
        return Result(screenOn: on, headless: off, ratios: ratios, frameMilliseconds: frames)
    }

    public static func report(_ r: Result) -> String {
        let ratio = median(r.ratios)
        return """
        ## Screen at 30 fps vs headless (W3 network, 500 xor points, batch 10)

        | UI thread | median updates/s | min | max |
        |---|---:|---:|---:|
        | drawing the workbench at 30 fps (render + diff, 120×40) | \(Int(median(r.screenOn))) | \(Int(r.screenOn.min() ?? 0)) | \(Int(r.screenOn.max() ?? 0)) |
        | polling only at 30 Hz (headless) | \(Int(median(r.headless))) | \(Int(r.headless.min() ?? 0)) | \(Int(r.headless.max() ?? 0)) |

        median ratio of \(r.ratios.count) interleaved pairs: \(String(format: "%.3f", ratio)) (the screen costs \(String(format: "%.1f", (1 - ratio) * 100)) %); mean frame \(String(format: "%.2f", median(r.frameMilliseconds))) ms
        bench screen updates_per_s=\(Int(median(r.screenOn))) headless_updates_per_s=\(Int(median(r.headless))) ratio=\(String(format: "%.3f", ratio)) frame_ms=\(String(format: "%.2f", median(r.frameMilliseconds)))

        """
    }
}
