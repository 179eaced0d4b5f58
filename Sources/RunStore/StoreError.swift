/// Why the run store cannot be opened or written. Every case names the store's file: a learner
/// with two stores (`--store PATH`) must know which one is meant.
public struct StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// Not a SQLite database, or a damaged one: refused, never overwritten.
        case corrupt
        /// Written by a newer Descent (its schema has migrations this build does not know).
        case newer
        /// The disk (or the folder's quota) is full.
        case full
        /// The file or its folder cannot be written.
        case readOnly
        /// Another workbench held the store longer than the wait allows.
        case busy
        /// Anything else SQLite reported.
        case other
    }

    public var kind: Kind
    public var path: String
    public var detail: String

    public init(_ kind: Kind, path: String, detail: String) {
        self.kind = kind
        self.path = path
        self.detail = detail
    }

    public var description: String {
        switch kind {
        case .corrupt:
            return "\(path): not a run store Descent can read (\(detail)); it is left as it is: move it away, "
                + "or start with --store OTHER.sqlite or --no-store"
        case .newer:
            return "\(path): written by a newer Descent (\(detail)); it is left as it is: use that Descent, "
                + "or start with --store OTHER.sqlite or --no-store"
        case .full:
            return "\(path): the disk is full (\(detail))"
        case .readOnly:
            return "\(path): cannot be written (\(detail))"
        case .busy:
            return "\(path): another workbench held the store too long (\(detail))"
        case .other:
            return "\(path): \(detail)"
        }
    }
}
