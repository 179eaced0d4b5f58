/// The rows of a table's gradient that the last backward pass wrote (an embedding's looked-up
/// ids); every other row of the gradient is exactly zero.
///
/// The dense gradient stays complete (its zeros are real zeros): this is a shortcut, never a
/// different answer. The trainer's gradient norm sums only these rows and the next backward pass
/// clears only these rows. A W4 step (batch 32 × 100 ids over a 10,000-row table) touches about
/// 2,700 rows. (Adam still updates every row: an untouched row's moments decay, as in Keras.)
///
/// Anything else that writes the whole gradient (a regularizer adds λw to every row) marks the
/// set incomplete; readers then take the dense path and the next backward clears everything.
public final class TouchedRows {
    /// Values per row.
    public let width: Int
    /// `isTouched[r]` is true when row r is among `rows`.
    public private(set) var isTouched: [Bool]
    /// The first `count` entries are the distinct touched rows, in the order first touched.
    private var list: [Int32]
    private var count = 0
    /// False when rows outside `rows` may hold non-zero gradient.
    public internal(set) var isComplete = false

    init(rows: Int, width: Int) {
        self.width = width
        isTouched = Array(repeating: false, count: rows)
        list = Array(repeating: 0, count: rows)
    }

    /// The distinct touched rows, in the order they were first touched.
    public var rows: ArraySlice<Int32> { list[0..<count] }

    /// Forgets the touched rows, then marks the non-zero ids among `ids` (the gradient has just
    /// been cleared and is about to receive those rows). Raw pointers: no per-id access checks.
    func replace(withNonZero ids: UnsafeBufferPointer<Float>) {
        let n = count
        isTouched.withUnsafeMutableBufferPointer { flags in
            list.withUnsafeMutableBufferPointer { list in
                for i in 0..<n { flags[Int(list[i])] = false }
                var k = 0
                for id in ids where id != 0 {
                    let r = Int(id)
                    if !flags[r] { flags[r] = true; list[k] = Int32(r); k += 1 }
                }
                count = k
            }
        }
    }
}
