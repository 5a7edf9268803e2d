import Dispatch
import Foundation

/// Runs `body` over `items` on `workers` threads, each worker with its own
/// state from `makeState` (a libclang index is not thread-safe, so each
/// worker owns one). Results come back in the order of `items`.
func parallelMap<Item: Sendable, State, Result: Sendable>(
    _ items: [Item], workers: Int,
    makeState: @Sendable () -> State,
    _ body: @Sendable (inout State, Item) -> Result
) -> [Result] {
    let results = ResultSlots<Result>(count: items.count)
    let next = AtomicCounter()
    let workerCount = max(1, min(workers, items.count))
    DispatchQueue.concurrentPerform(iterations: workerCount) { _ in
        var state = makeState()
        while true {
            let i = next.increment()
            guard i < items.count else { break }
            results.set(i, body(&state, items[i]))
        }
    }
    return results.values()
}

/// The number of workers: as many as cores unless `NOTIFYSPLIT_JOBS` says.
public var defaultWorkerCount: Int {
    if let text = ProcessInfo.processInfo.environment["NOTIFYSPLIT_JOBS"], let n = Int(text), n > 0 {
        return n
    }
    return ProcessInfo.processInfo.activeProcessorCount
}

private final class AtomicCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func increment() -> Int {
        lock.lock(); defer { lock.unlock() }
        value += 1
        return value - 1
    }
}

private final class ResultSlots<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [T?]
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ value: T) {
        lock.lock(); defer { lock.unlock() }
        slots[i] = value
    }
    func values() -> [T] { slots.map { $0! } }
}
