/// How much of a rectangle one part of a split takes (see ``Rect/split(vertical:)``).
public enum Constraint: Equatable, Hashable, Sendable {
    /// Exactly this many cells (less only when the parent is too small).
    case fixed(Int)
    /// This percentage (0–100) of the parent's size, rounded down.
    case percent(Int)
    /// At least this many cells; also shares the leftover space with `.fill` parts.
    case min(Int)
    /// An equal share of whatever the other parts leave.
    case fill
}

extension Rect {
    /// Splits the rectangle into rows stacked top to bottom; each constraint sizes one row's
    /// height. See ``sizes(of:total:)`` for how space is shared.
    public func split(vertical constraints: [Constraint]) -> [Rect] {
        var offset = y
        return Rect.sizes(of: constraints, total: height).map { size in
            defer { offset += size }
            return Rect(x: x, y: offset, width: width, height: size)
        }
    }

    /// Splits the rectangle into columns side by side, left to right; each constraint sizes one
    /// column's width.
    public func split(horizontal constraints: [Constraint]) -> [Rect] {
        var offset = x
        return Rect.sizes(of: constraints, total: width).map { size in
            defer { offset += size }
            return Rect(x: offset, y: y, width: size, height: height)
        }
    }

    /// The sizes a split gives its parts, in order.
    ///
    /// Fixed, percent and min parts first get what they ask for. When that exceeds `total`,
    /// parts are served in order and the later ones shrink (to 0 if need be), so the parts never
    /// exceed the parent. Any leftover is shared equally by the `.fill` and `.min` parts (the
    /// first ones get the odd cells); with none of those it stays unused at the end.
    public static func sizes(of constraints: [Constraint], total: Int) -> [Int] {
        let available = Swift.max(0, total)
        let wanted = constraints.map { constraint -> Int in
            switch constraint {
            case .fixed(let cells), .min(let cells): Swift.max(0, cells)
            case .percent(let percent): available * Swift.min(100, Swift.max(0, percent)) / 100
            case .fill: 0
            }
        }
        var remaining = available
        var sizes = wanted.map { want -> Int in
            let size = Swift.min(want, remaining)
            remaining -= size
            return size
        }
        let flexible = constraints.indices.filter { index in
            switch constraints[index] {
            case .fill, .min: true
            case .fixed, .percent: false
            }
        }
        guard remaining > 0, !flexible.isEmpty else { return sizes }
        let share = remaining / flexible.count
        let extra = remaining % flexible.count
        for (rank, index) in flexible.enumerated() {
            sizes[index] += share + (rank < extra ? 1 : 0)
        }
        return sizes
    }
}
