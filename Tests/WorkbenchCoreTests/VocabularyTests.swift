import Testing
@testable import CommandLanguage
import NeuralEngine
import Datasets
@testable import WorkbenchCore
import Models

/// The command table's words are exactly the engine's: a dataset, loss, optimizer, activation
/// or preset added on one side and not the other fails here, not in a learner's session.
@Suite struct VocabularyTests {
    func words(_ keywords: [Keyword]) -> [String] { keywords.map(\.word) }

    @Test func datasetsLossesOptimizersActivationsAndPresets() {
        #expect(words(CommandTable.datasets) == DatasetName.allCases.map(\.rawValue))
        #expect(DatasetName.synthetic.map(\.rawValue) == SyntheticKind.allCases.map(\.rawValue), "the generators")
        #expect(DatasetName.symbolTasks.map(\.rawValue) == SymbolTask.allCases.map(\.rawValue), "minGPT's problems")
        #expect(CSVSeparatorWord.allCases.map(\.rawValue) == CSVOptions.Separator.allCases.map(\.rawValue), "sep=")
        #expect(CSVDecimalWord.allCases.map(\.rawValue) == CSVOptions.DecimalMark.allCases.map(\.rawValue), "decimal=")
        #expect(CSVMissingWord.allCases.map(\.rawValue) == CSVOptions.Missing.allCases.map(\.rawValue), "missing=")
        #expect(words(CommandTable.losses) == LossKind.allCases.map(\.rawValue))
        #expect(words(CommandTable.optimizers) == OptimizerKind.allCases.map(\.rawValue))
        #expect(Set(words(CommandTable.layerActivations)) == Set(Activation.allCases.map(\.rawValue)))
        #expect(words(CommandTable.presets) == ModelSpec.presets)
        #expect(words(CommandTable.liveSettings) == LiveSetting.allCases.map(\.rawValue))
    }

    /// Every option of `optimizer` is a setting the optimizers have.
    @Test func optimizerOptionsAreOptimizerSettings() {
        let keys = CommandTable.spec(.optimizer).options.map(\.key)
        #expect(Set(keys) == Set(OptimizerSetting.allCases.map(\.rawValue)))
        for kind in OptimizerKind.allCases {
            let applicable = CommandTable.optimizerOptions.filter { $0.appliesTo.isEmpty || $0.appliesTo.contains(kind.rawValue) }
            let settings = OptimizerConfig(kind).settings.map(\.key.rawValue)
            #expect(Set(applicable.map(\.key)) == Set(settings), "\(kind): the options the table allows are its settings")
        }
    }

    /// The table has one spec for every command, and no command without one.
    @Test func everyCommandHasOneSpec() {
        #expect(CommandTable.all.map(\.id) == CommandTable.all.map(\.id).uniqued())
        #expect(Set(CommandTable.all.map(\.id)) == Set(CommandID.allCases))
    }
}

extension Array where Element: Hashable {
    func uniqued() -> [Element] {
        var seen: Set<Element> = []
        return filter { seen.insert($0).inserted }
    }
}

@Suite struct HeadNameTests {
    @Test func headsAreNamedAsTransformerLensNamesThem() {
        #expect(InspectCommands.parseHead("L2H1")! == (1, 0) && InspectCommands.parseHead("l1h3")! == (0, 2))
        for bad in ["L0H1", "L1H0", "2.1", "L2", "H1", "LxHy", "L1H1H1"] { #expect(InspectCommands.parseHead(bad) == nil, "\(bad)") }
        #expect(InspectCommands.headName(layer: 1, head: 0) == "L2H1")
    }
}
