import Dispatch
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
