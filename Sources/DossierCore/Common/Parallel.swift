import Dispatch
import Foundation
import Synchronization

/// Work spread over every core.
enum Parallel {
    /// `transform` applied to every element, in chunks on all cores; the results in order.
    /// Each chunk collects its results alone; the lock is taken once per chunk, not per element.
    static func map<Element: Sendable, Result: Sendable>(_ elements: [Element],
                                                        _ transform: @Sendable (Element) -> Result) -> [Result] {
        guard elements.count > 1 else { return elements.map(transform) }
        let chunkCount = min(elements.count, ProcessInfo.processInfo.activeProcessorCount * 8)
        let chunkSize = (elements.count + chunkCount - 1) / chunkCount
        let done = Mutex<[Int: [Result]]>([:])
        DispatchQueue.concurrentPerform(iterations: chunkCount) { chunk in
            let start = chunk * chunkSize
            guard start < elements.count else { return }
            let results = elements[start..<min(start + chunkSize, elements.count)].map(transform)
            done.withLock { $0[chunk] = results }
        }
        return done.withLock { chunks in (0..<chunkCount).flatMap { chunks[$0] ?? [] } }
    }

    /// The tasks run side by side, each started on a thread of its own, so that a task's own
    /// `map` spreads over every core (a `concurrentPerform` nested in another runs on one
    /// thread); their results in order.
    static func run<Result: Sendable>(_ tasks: [@Sendable () -> Result]) -> [Result] {
        let results = Mutex<[Int: Result]>([:])
        let group = DispatchGroup()
        for (index, task) in tasks.enumerated() {
            DispatchQueue.global().async(group: group) {
                let result = task()
                results.withLock { $0[index] = result }
            }
        }
        group.wait()
        return results.withLock { results in tasks.indices.map { results[$0]! } }
    }
}
