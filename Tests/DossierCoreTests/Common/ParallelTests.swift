import Dispatch
import Foundation
import Synchronization
import Testing
@testable import DossierCore

@Suite struct ParallelTests {
    @Test(arguments: [0, 1, 2, 7, 100, 1001])
    func mapsEveryElementInOrder(count: Int) {
        let elements = Array(0..<count)
        #expect(Parallel.map(elements) { $0 * 3 } == elements.map { $0 * 3 })
    }

    @Test(arguments: [0, 1, 2, 7, 100, 1001])
    func mapsWithAStateMadeOncePerChunk(count: Int) {
        let elements = Array(0..<count)
        let made = Mutex(0)
        // Each result: the element, and how many elements its chunk's state has seen with it.
        let results = Parallel.map(elements, state: { () -> Int in
            made.withLock { $0 += 1 }
            return 0
        }) { element, seen in
            seen += 1
            return [element, seen]
        }
        #expect(results.map { $0[0] } == elements)
        // A state is given to consecutive elements only, counting from 1 each time one is made.
        let chunkStarts = results.filter { $0[1] == 1 }.count
        #expect(chunkStarts == made.withLock { $0 })
        #expect(zip(results, results.dropFirst()).allSatisfy { $1[1] == 1 || $1[1] == $0[1] + 1 })
        // Made once per chunk (eight per core at most), not per element.
        #expect(chunkStarts <= min(count, ProcessInfo.processInfo.activeProcessorCount * 8))
    }
}

@Suite struct BackgroundTests {
    @Test func makesTheValueOnAnotherThreadWhileTheCallerGoesOn() {
        let release = DispatchSemaphore(value: 0)
        let started = DispatchSemaphore(value: 0)
        let background = Background { () -> [Int] in
            started.signal()
            // Made only once the caller, which has gone on, lets it: on a thread of its own.
            release.wait()
            return Array(0..<5)
        }
        started.wait()
        release.signal()
        #expect(background.value == [0, 1, 2, 3, 4])
        #expect(background.value == [0, 1, 2, 3, 4], "read again, the same value")
    }
}

@Suite struct DeferredTests {
    @Test func makesTheValueOnlyOnceAskedAndThenOnAnotherThread() {
        let runs = Mutex(0)
        let release = DispatchSemaphore(value: 0)
        let started = DispatchSemaphore(value: 0)
        let deferred = Deferred { () -> Int in
            runs.withLock { $0 += 1 }
            started.signal()
            release.wait()
            return 42
        }
        // Not started by being made: the work waits for `start`.
        #expect(started.wait(timeout: .now() + .milliseconds(200)) == .timedOut)
        #expect(runs.withLock { $0 } == 0)
        deferred.start()
        deferred.start()
        // Started, and running while the caller goes on.
        started.wait()
        release.signal()
        #expect(deferred.value == 42)
        #expect(deferred.value == 42)
        #expect(runs.withLock { $0 } == 1, "started twice and read twice, made once")
    }

    @Test func makesTheValueWhenFirstWantedIfNeverStarted() {
        let deferred = Deferred { Array(0..<3) }
        #expect(deferred.value == [0, 1, 2])
    }
}
