import Foundation

/// A file of the built site: its path below `public/` and its bytes.
public struct OutputFile: Sendable {
    public let path: String
    let body: Body

    /// The bytes: made whole, or put together from pieces, some of them copied from a file
    /// on disk when the file is written.
    enum Body: Sendable {
        case whole(Data)
        case spliced(SplicedBytes)

        var count: Int {
            switch self {
            case .whole(let data): data.count
            case .spliced(let spliced): spliced.count
            }
        }

        /// The bytes in memory; nil when a spliced file's source cannot be read.
        func materialized() -> Data? {
            switch self {
            case .whole(let data): data
            case .spliced(let spliced): spliced.materialized()
            }
        }
    }

    public init(path: String, contents: Data) {
        self.init(path: path, body: .whole(contents))
    }

    public init(path: String, text: String) {
        self.init(path: path, contents: Data(text.utf8))
    }

    init(path: String, body: Body) {
        self.path = path
        self.body = body
    }

    /// Whether the file at its path in `folder` holds exactly its bytes.
    public func isHeld(in folder: URL) -> Bool {
        FileCalls.holds(folder.path + "/" + path, body)
    }
}
