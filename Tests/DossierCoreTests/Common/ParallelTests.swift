import Testing
@testable import DossierCore

@Suite struct ParallelTests {
    @Test(arguments: [0, 1, 2, 7, 100, 1001])
    func mapsEveryElementInOrder(count: Int) {
        let elements = Array(0..<count)
        #expect(Parallel.map(elements) { $0 * 3 } == elements.map { $0 * 3 })
    }
}
