import TensorCore
import NeuralEngine
import Training
import CommandLanguage
import Models

extension InspectCommands {
    /// `show unit LAYER [UNIT]`: one hidden unit's activation over the data's plane, drawn in the
    /// evaluation pane like the decision boundary and kept live while the run trains (every
    /// snapshot evaluates it on the probe grid). Numbers as in `show layers`, from 1.
    func showUnit(_ c: Command) throws(DescentError) {
        guard let data, let grid = data.probeGrid, case .plane = grid.kind else {
            throw DescentError("show unit needs 2-D classification data (a plane to draw on), e.g. `data spiral`")
        }
        guard let layerNumber = c.positional(1)?.integer else { throw DescentError("show unit: expected a layer number") }
        let unitNumber = c.positional(orDefault: 2).integer ?? 1
        // The current run's model, or before any update the model the next run starts from.
        let run = runs.current
        if run == nil, bench.currentRecord != nil { throw runs.noLiveModel() }
        let model: Sequential
        if let run { model = run.trainer.model } else { model = try bench.previewModel() }
        let layerCount = model.layers.count
        guard layerNumber <= layerCount else {
            throw DescentError("show unit: the model has layers 1…\(layerCount) (`show layers` numbers them)")
        }
        guard layerNumber < layerCount else {
            throw DescentError("show unit: layer \(layerNumber) is the output layer; its picture is the decision boundary "
                               + "(`show boundary`). Hidden layers: 1…\(layerCount - 1)")
        }
        let shape = model.outputShapes[layerNumber - 1]
        guard shape.count == 1, let units = shape.first else {
            throw DescentError("show unit: layer \(layerNumber) (\(model.layers[layerNumber - 1].label)) has no row of units to draw")
        }
        guard unitNumber <= units else {
            throw DescentError("show unit: layer \(layerNumber) has units 1…\(units)")
        }
        bench.views.unit = ViewState.Unit(layer: layerNumber - 1, unit: unitNumber - 1)
        if let run { bench.tell(runs.control(.probeUnit(layer: layerNumber - 1, unit: unitNumber - 1), to: run)) }
        if let back = bench.views.rewound { try? rewind(to: back.epoch, quietly: true) }
        let label = model.layers[layerNumber - 1].label
        var line = (run == nil ? "the next run's starting weights: " : "")
            + "unit \(unitNumber) of layer \(layerNumber) (\(model.names[layerNumber - 1]), \(label))"
        if let values = display.unitActivations?.values, let lo = values.min(), let hi = values.max() {
            line += ": over the plane it ranges \(fmt(lo))…\(fmt(hi))"
        }
        bench.say(line + (bench.frontEnd.screenNote.map { "; \($0)" } ?? "; drawn in the evaluation pane (F5 goes on to its other views)"))
    }
}
