import Foundation

/// A value computed on another thread while the caller goes on, waited
/// for where it is needed: work that only waits on other processes (git
/// finding a series' base) overlaps work that keeps the cores busy.
public final class BackgroundResult<Value: Sendable>: @unchecked Sendable {
    private let done = DispatchGroup()
    private var result: Value?

    public init(_ work: @escaping @Sendable () -> Value) {
        done.enter()
        DispatchQueue.global().async {
            self.result = work()
            self.done.leave()
        }
    }

    /// The value, once computed.
    public var value: Value {
        done.wait()
        return result!
    }
}
