import ProtobufWire

/// The hyper-parameters dashboard (TensorBoard's `hparams` plugin): a run's set-up as the
/// session's hparams when it starts, its status when it ends, and, in the log folder itself, the
/// experiment that names the hparams and metrics to tabulate across runs. Each is a summary value
/// with no data (a float tensor of shape [0]) whose metadata carries an `HParamsPluginData`:
///
///     HParamsPluginData { version 1, experiment 2, session_start_info 3, session_end_info 4 }
///     SessionStartInfo { hparams 1: map<string, google.protobuf.Value>, start_time_secs 5 }
///     SessionEndInfo { status 1 (1 success, 2 failure), end_time_secs 2 }
///     Experiment { time_created_secs 3, hparam_infos 4: HParamInfo { name 1, type 4, differs 7 },
///                  metric_infos 5: MetricInfo { name 1: MetricName { tag 2 } } }
///     google.protobuf.Value { number_value 2, string_value 3 }
public enum HParams {
    public enum Value: Equatable, Sendable {
        case number(Double)
        case text(String)
    }

    public static let experimentTag = "_hparams_/experiment"
    public static let startTag = "_hparams_/session_start_info"
    public static let endTag = "_hparams_/session_end_info"

    public static func sessionStart(_ hparams: [(String, Value)], time: Double) -> Protobuf {
        summary(startTag, Protobuf.build { d in
            d.message(3, Protobuf.build { s in
                for (name, value) in hparams {
                    s.message(1, Protobuf.build { entry in
                        entry.string(1, name)
                        entry.message(2, Protobuf.build { v in
                            switch value {
                            case .number(let x): v.double(2, x)
                            case .text(let t): v.string(3, t)
                            }
                        })
                    })
                }
                s.double(5, time)
            })
        })
    }

    public static func sessionEnd(success: Bool, time: Double) -> Protobuf {
        summary(endTag, Protobuf.build { d in
            d.message(4, Protobuf.build { e in
                e.int(1, success ? 1 : 2)
                e.double(2, time)
            })
        })
    }

    /// The experiment: which hparams (text or number) and which scalar tags are its metrics.
    public static func experiment(hparams: [(String, Value)], metrics: [String], time: Double) -> Protobuf {
        summary(experimentTag, Protobuf.build { d in
            d.message(2, Protobuf.build { x in
                x.double(3, time)
                for (name, kind) in hparams {
                    x.message(4, Protobuf.build { h in
                        h.string(1, name)
                        if case .text = kind { h.int(4, 1) } else { h.int(4, 3) }   // DATA_TYPE_STRING, _FLOAT64
                        h.bool(7, true)   // differs: shown in the table (it would otherwise hide the column)
                    })
                }
                for tag in metrics {
                    x.message(5, Protobuf.build { m in m.message(1, Protobuf.build { n in n.string(2, tag) }) })
                }
            })
        })
    }

    private static func summary(_ tag: String, _ data: Protobuf) -> Protobuf {
        Protobuf.build { v in
            v.string(1, tag)
            v.message(8, Protobuf.build { t in
                t.int(1, 1)                                                     // DT_FLOAT
                t.message(2, Protobuf.build { s in s.message(2, Protobuf()) })  // shape [0]
            })
            v.message(9, TensorBoardEvent.metadata(plugin: "hparams", content: data.bytes))
        }
    }
}
