import SkiffAPI

/// Runs many store writes a few dozen at a time. The store commits whatever
/// writes are waiting as one transaction (one fsync), so a thousand deletes
/// or binds issued one after the other cost a thousand fsyncs, and issued
/// thirty-two at a time about thirty; the bound keeps one big owner or
/// scheduling pass from flooding the write queue ahead of everyone else.
enum BoundedParallelism {
    /// How many writes a controller keeps in flight at once.
    static let width = 32

    /// `body` for every element, at most `width` at once, in no particular
    /// order; the results in no particular order. Every element is attempted
    /// even when some fail; the first failure is thrown after all are done.
    static func map<Element: Sendable, Result: Sendable>(
        _ elements: [Element], width: Int = width,
        _ body: @escaping @Sendable (Element) async throws(APIStatus) -> Result
    ) async throws(APIStatus) -> [Result] {
        guard !elements.isEmpty else { return [] }
        var results: [Result] = []
        results.reserveCapacity(elements.count)
        var failure: APIStatus?
        await withTaskGroup(of: Swift.Result<Result, APIStatus>.self) { group in
            var remaining = elements.makeIterator()
            func start(_ element: Element) {
                group.addTask {
                    do throws(APIStatus) {
                        return .success(try await body(element))
                    } catch {
                        return .failure(error)
                    }
                }
            }
            for _ in 0..<max(1, width) {
                guard let element = remaining.next() else { break }
                start(element)
            }
            while let outcome = await group.next() {
                switch outcome {
                case .success(let result): results.append(result)
                case .failure(let error): if failure == nil { failure = error }
                }
                if let element = remaining.next() { start(element) }
            }
        }
        if let failure { throw failure }
        return results
    }

    /// `map` for work that returns nothing.
    static func forEach<Element: Sendable>(
        _ elements: [Element], width: Int = width, _ body: @escaping @Sendable (Element) async throws(APIStatus) -> Void
    ) async throws(APIStatus) {
        _ = try await map(elements, width: width, body)
    }
}
