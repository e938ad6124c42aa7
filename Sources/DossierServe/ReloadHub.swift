import Foundation

/// What the open pages hear: a new build to reload, or the problems of a failed build to show
/// over the last good page. Each page listens with server-sent events (`EventSource`).
actor ReloadHub {
    enum Event: Sendable, Equatable {
        case reload(version: Int)
        case problems([String])
    }

    private var listeners: [UUID: AsyncStream<[UInt8]>.Continuation] = [:]
    /// The problems of the last build, sent to every page that connects while they stand.
    private var problems: [String] = []

    /// A new listener's stream of events, in the `text/event-stream` format.
    func listen() -> AsyncStream<[UInt8]> {
        let (stream, continuation) = AsyncStream.makeStream(of: [UInt8].self)
        let id = UUID()
        listeners[id] = continuation
        continuation.onTermination = { _ in Task { await self.remove(id) } }
        continuation.yield(Array(": connected\n\n".utf8))
        if !problems.isEmpty { continuation.yield(Self.encode(.problems(problems))) }
        return stream
    }

    private func remove(_ id: UUID) {
        listeners[id] = nil
    }

    func send(_ event: Event) {
        if case .problems(let lines) = event { problems = lines } else { problems = [] }
        let bytes = Self.encode(event)
        for listener in listeners.values { listener.yield(bytes) }
    }

    static func encode(_ event: Event) -> [UInt8] {
        switch event {
        case .reload(let version):
            return Array("event: reload\ndata: \(version)\n\n".utf8)
        case .problems(let lines):
            return Array(("event: problems\n" + lines.map { "data: \($0)\n" }.joined() + "\n").utf8)
        }
    }
}
