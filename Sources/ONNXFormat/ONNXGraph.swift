import ProtobufWire

/// An ONNX model built node by node and written as its protobuf (`onnx/onnx.proto`, IR version
/// 8, opset 17 of the default domain, as `../shared/INTERFACES.md` sums it up):
///
///     ModelProto { ir_version 1, producer_name 2, producer_version 3, graph 7, opset_import 8
///                  { domain 1, version 2 }, metadata_props 14 { key 1, value 2 } }
///     GraphProto { node 1, name 2, initializer 5, input 11, output 12 }
///     NodeProto { input 1, output 2, name 3, op_type 4, attribute 5 }
///     AttributeProto { name 1, f 2, i 3, s 4, floats 7, ints 8, type 20 }
///     TensorProto { dims 1, data_type 2, name 8, raw_data 9 }
///     ValueInfoProto { name 1, type 2: TypeProto { tensor_type 1 { elem_type 1, shape 2 { dim 1
///                      { dim_value 1 | dim_param 2 } } } } }
///
/// Values are named `v1`, `v2`, … in the order they are made; constants are initializers.
public struct ONNXGraph {
    public static let irVersion: Int64 = 8
    public static let opset: Int64 = 17

    public enum ElementType: Int64 { case float = 1, int64 = 7 }

    /// A dimension of an input or output: fixed, or named (the batch).
    public enum Dimension {
        case fixed(Int)
        case named(String)
    }

    public enum Attribute {
        case int(String, Int)
        case float(String, Float)
        case ints(String, [Int])
        case string(String, String)
    }

    private var nodes: [Protobuf] = []
    private var initializers: [Protobuf] = []
    private var inputs: [Protobuf] = []
    private var outputs: [Protobuf] = []
    private var counter = 0

    public init() {}

    private mutating func fresh(_ hint: String) -> String {
        counter += 1
        return "\(hint)_\(counter)"
    }

    /// A float constant of shape `dims` (row-major values).
    public mutating func constant(_ values: [Float], dims: [Int], name: String? = nil) -> String {
        let id = name ?? fresh("const")
        initializers.append(Protobuf.build { t in
            t.ints(1, dims.map(Int64.init))
            t.int(2, ElementType.float.rawValue)
            t.string(8, id)
            var raw: [UInt8] = []
            raw.reserveCapacity(values.count * 4)
            for v in values { withUnsafeBytes(of: v.bitPattern.littleEndian) { raw += $0 } }
            t.data(9, raw)
        })
        return id
    }

    /// An int64 constant (shapes, axes, split sizes).
    public mutating func integers(_ values: [Int], dims: [Int]? = nil) -> String {
        let id = fresh("ints")
        initializers.append(Protobuf.build { t in
            t.ints(1, (dims ?? [values.count]).map(Int64.init))
            t.int(2, ElementType.int64.rawValue)
            t.string(8, id)
            var raw: [UInt8] = []
            for v in values { withUnsafeBytes(of: Int64(v).littleEndian) { raw += $0 } }
            t.data(9, raw)
        })
        return id
    }

    /// A node of `op` on `inputs`; its outputs' names.
    @discardableResult
    public mutating func node(_ op: String, _ inputs: [String], _ attributes: [Attribute] = [], outputs count: Int = 1) -> [String] {
        let outs = (0..<count).map { _ in fresh(op.lowercased()) }
        nodes.append(Protobuf.build { n in
            for i in inputs { n.string(1, i) }
            for o in outs { n.string(2, o) }
            n.string(3, outs[0] + "_node")
            n.string(4, op)
            for attribute in attributes {
                n.message(5, Protobuf.build { a in
                    switch attribute {
                    case let .int(name, value):
                        a.string(1, name)
                        a.int(3, Int64(value))
                        a.int(20, 2)
                    case let .float(name, value):
                        a.string(1, name)
                        a.float(2, value)
                        a.int(20, 1)
                    case let .ints(name, values):
                        a.string(1, name)
                        a.ints(8, values.map(Int64.init))
                        a.int(20, 7)
                    case let .string(name, value):
                        a.string(1, name)
                        a.string(4, value)
                        a.int(20, 3)
                    }
                })
            }
        })
        return outs
    }

    /// One-output shorthand.
    public mutating func op(_ op: String, _ inputs: [String], _ attributes: [Attribute] = []) -> String {
        node(op, inputs, attributes)[0]
    }

    /// Renames the value `from` to `name` (an Identity node), for the graph's outputs.
    public mutating func name(_ from: String, as name: String) {
        nodes.append(Protobuf.build { n in
            n.string(1, from)
            n.string(2, name)
            n.string(3, name + "_node")
            n.string(4, "Identity")
        })
    }

    private static func valueInfo(_ name: String, _ type: ElementType, _ dims: [Dimension]) -> Protobuf {
        Protobuf.build { v in
            v.string(1, name)
            v.message(2, Protobuf.build { t in
                t.message(1, Protobuf.build { tensor in
                    tensor.int(1, type.rawValue)
                    tensor.message(2, Protobuf.build { shape in
                        for d in dims {
                            shape.message(1, Protobuf.build { dim in
                                switch d {
                                case .fixed(let n): dim.int(1, Int64(n))
                                case .named(let s): dim.string(2, s)
                                }
                            })
                        }
                    })
                })
            })
        }
    }

    public mutating func input(_ name: String, _ type: ElementType, _ dims: [Dimension]) {
        inputs.append(Self.valueInfo(name, type, dims))
    }

    public mutating func output(_ name: String, _ type: ElementType, _ dims: [Dimension]) {
        outputs.append(Self.valueInfo(name, type, dims))
    }

    /// The model's bytes.
    public func model(name: String, producerVersion: String, metadata: [(String, String)]) -> [UInt8] {
        Protobuf.build { m in
            m.int(1, Self.irVersion)
            m.string(2, "descent")
            m.string(3, producerVersion)
            m.message(7, Protobuf.build { g in
                for n in nodes { g.message(1, n) }
                g.string(2, name)
                for i in initializers { g.message(5, i) }
                for i in inputs { g.message(11, i) }
                for o in outputs { g.message(12, o) }
            })
            m.message(8, Protobuf.build { o in
                o.string(1, "")
                o.int(2, Self.opset)
            })
            for (key, value) in metadata {
                m.message(14, Protobuf.build { p in
                    p.string(1, key)
                    p.string(2, value)
                })
            }
        }.bytes
    }
}
