import Foundation
import NeuralEngine
import Models

extension LayerHealth {
    /// What is wrong with a layer, if anything, in words.
    public var warnings: [String] {
        let h = self
        var out: [String] = []
        if let r = h.updateRatio, r > 1e-1 { out.append("\(h.layer): each update moves its weights by \(fmt(r * 100)) % — too large a learning rate?") }
        if let r = h.updateRatio, r > 0, r < 1e-5 { out.append("\(h.layer): its weights barely move (Δw/w \(String(format: "%.0e", Double(r)))): a rate too small, or vanishing gradients") }
        if let s = h.saturated, s > 0.5 {
            out.append(h.saturationKind == .relu
                ? "\(h.layer): \(Int((s * 100).rounded())) % of its ReLU units are dead for the whole batch"
                : "\(h.layer): \(Int((s * 100).rounded())) % of its \(h.saturationKind!.rawValue) outputs are saturated, where little"
                    + " gradient gets through: normal late on sharp boundaries; from the start, weights or inputs too large")
        }
        return out
    }
}
