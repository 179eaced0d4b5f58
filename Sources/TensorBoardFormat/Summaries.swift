import ProtobufWire

/// TensorBoard's `Event` and `Summary` messages, written by hand as small writers do
/// (field numbers from tensorboard/compat/proto/event.proto, summary.proto, tensor.proto and the
/// hparams plugin's plugin_data.proto and api.proto, as TensorBoard 2.21 defines them):
///
///     Event { wall_time 1: double, step 2: int64, file_version 3: string, summary 5: Summary }
///     Summary { value 1: Value { tag 1, simple_value 2: float, histo 5, tensor 8, metadata 9 } }
///     HistogramProto { min 1, max 2, num 3, sum 4, sum_squares 5, bucket_limit 6, bucket 7 }
public enum TensorBoardEvent {
    /// The first event of every file: `file_version` "brain.Event:2".
    public static func fileVersion(wallTime: Double) -> [UInt8] {
        Protobuf.build { e in
            e.double(1, wallTime)
            e.string(3, "brain.Event:2")
        }.bytes
    }

    /// An event holding summary values at `step`.
    public static func summary(_ values: [Protobuf], step: Int, wallTime: Double) -> [UInt8] {
        Protobuf.build { e in
            e.double(1, wallTime)
            e.int(2, Int64(step))
            e.message(5, Protobuf.build { s in for v in values { s.message(1, v) } })
        }.bytes
    }

    /// A scalar (the Scalars dashboard).
    public static func scalar(_ tag: String, _ value: Float) -> Protobuf {
        Protobuf.build { v in
            v.string(1, tag)
            v.float(2, value)
        }
    }

    /// A histogram: counts between bucket limits (each bucket's right edge).
    public struct Histogram: Equatable, Sendable {
        public var min: Double, max: Double, num: Double, sum: Double, sumSquares: Double
        public var limits: [Double], counts: [Double]

        public init(min: Double, max: Double, num: Double, sum: Double, sumSquares: Double, limits: [Double], counts: [Double]) {
            self.min = min
            self.max = max
            self.num = num
            self.sum = sum
            self.sumSquares = sumSquares
            self.limits = limits
            self.counts = counts
        }

        /// The histogram of `values` in `buckets` equal buckets over their range, with exact
        /// sums (a constant tensor gets one bucket).
        public init<Values: Collection>(of values: Values, buckets: Int = 30) where Values.Element == Float {
            let low = Double(values.min() ?? 0), high = Double(values.max() ?? 0)
            let n = high > low ? buckets : 1
            let width = high > low ? (high - low) / Double(n) : 1
            var counts = Array(repeating: 0.0, count: n)
            var sum = 0.0, squares = 0.0
            for value in values {
                let x = Double(value)
                sum += x
                squares += x * x
                counts[Swift.min(n - 1, Swift.max(0, Int((x - low) / width)))] += 1
            }
            self.init(min: low, max: high, num: Double(values.count), sum: sum, sumSquares: squares,
                      limits: (1...n).map { low + Double($0) * width }, counts: counts)
        }
    }

    public static func histogram(_ tag: String, _ h: Histogram) -> Protobuf {
        Protobuf.build { v in
            v.string(1, tag)
            v.message(5, Protobuf.build { p in
                p.double(1, h.min)
                p.double(2, h.max)
                p.double(3, h.num)
                p.double(4, h.sum)
                p.double(5, h.sumSquares)
                p.doubles(6, h.limits)
                p.doubles(7, h.counts)
            })
        }
    }

    /// A text (the Text dashboard): a scalar string tensor, marked for the `text` plugin.
    public static func text(_ tag: String, _ text: String) -> Protobuf {
        Protobuf.build { v in
            v.string(1, tag)
            v.message(8, Protobuf.build { t in
                t.int(1, 7)                          // dtype DT_STRING
                t.message(2, Protobuf())             // shape: a scalar
                t.data(8, Array(text.utf8))          // string_val
            })
            v.message(9, metadata(plugin: "text", content: []))
        }
    }

    static func metadata(plugin: String, content: [UInt8]) -> Protobuf {
        Protobuf.build { m in
            m.message(1, Protobuf.build { p in
                p.string(1, plugin)
                p.data(2, content)
            })
        }
    }
}
