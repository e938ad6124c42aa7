import Dispatch
import Foundation
import Synchronization

/// Work spread over every core.
enum Parallel {
    /// `transform` applied to every element, in chunks on all cores; the results in order.
    /// Each chunk collects its results alone; the lock is taken once per chunk, not per element.
    static func map<Element: Sendable, Result: Sendable>(_ elements: [Element],
                                                        _ transform: @Sendable (Element) -> Result) -> [Result] {
        map(elements, state: {}) { element, _ in transform(element) }
    }

    /// `transform` applied to every element, in chunks on all cores, each chunk with a `state`
    /// of its own that its elements are given in turn: a table to reuse rather than make per
    /// element, or a copy of what every element reads, which the cores would otherwise share.
    /// The results in order.
    static func map<Element: Sendable, State, Result: Sendable>(_ elements: [Element], state: @Sendable () -> State,
                                                               _ transform: @Sendable (Element, inout State) -> Result) -> [Result] {
        guard elements.count > 1 else {
            return elements.map { element in
                var state = state()
                return transform(element, &state)
            }
        }
        let chunkCount = min(elements.count, ProcessInfo.processInfo.activeProcessorCount * 8)
        let chunkSize = (elements.count + chunkCount - 1) / chunkCount
        let done = Mutex<[Int: [Result]]>([:])
        DispatchQueue.concurrentPerform(iterations: chunkCount) { chunk in
            let start = chunk * chunkSize
            guard start < elements.count else { return }
            var chunkState = state()
            let results = elements[start..<min(start + chunkSize, elements.count)].map { transform($0, &chunkState) }
            done.withLock { $0[chunk] = results }
        }
        return done.withLock { chunks in (0..<chunkCount).flatMap { chunks[$0] ?? [] } }
    }
}

/// A value made on a thread of its own while the caller goes on: a cache read while the build
/// loads the site, the archive's files made while the pages are rendered. `value` waits for it.
/// A thread, not a task of Dispatch's pool: the pool starts a worker for new work only some
/// time after its workers are all busy or waiting, and a build whose threads wait for one
/// another stood still that long.
final class Background<Value: Sendable>: Sendable {
    private let done = DispatchGroup()
    private let made = Mutex<Value?>(nil)

    init(_ make: @escaping @Sendable () -> Value) {
        done.enter()
        Thread { [self] in
            let value = make()
            made.withLock { $0 = value }
            done.leave()
        }.start()
    }

    /// The value, once it is made.
    var value: Value {
        done.wait()
        return made.withLock { $0! }
    }
}

/// A `Background` value whose work starts when asked (`start`), or else when the value is
/// first wanted: what a build needs only late, kept from taking the cores of the stages before.
final class Deferred<Value: Sendable>: Sendable {
    private let make: @Sendable () -> Value
    private let work = Mutex<Background<Value>?>(nil)

    init(_ make: @escaping @Sendable () -> Value) {
        self.make = make
    }

    /// Starts the work, unless it started already.
    func start() {
        _ = started
    }

    /// The value, once it is made.
    var value: Value {
        started.value
    }

    private var started: Background<Value> {
        work.withLock { work in
            if let running = work { return running }
            let running = Background(make)
            work = running
            return running
        }
    }
}
