import Dispatch
import Synchronization
import Testing
@testable import DossierCore

@Suite struct ParallelTests {
    @Test(arguments: [0, 1, 2, 7, 100, 1001])
    func mapsEveryElementInOrder(count: Int) {
        let elements = Array(0..<count)
        #expect(Parallel.map(elements) { $0 * 3 } == elements.map { $0 * 3 })
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
