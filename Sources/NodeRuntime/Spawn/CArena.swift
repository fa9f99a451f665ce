import Glibc

/// Owns C copies of strings and arrays handed to the launcher, so that every
/// pointer in a `skiff_spawn_config` stays valid for the whole call and is
/// freed in one place afterwards.
final class CArena {
    private var allocations: [UnsafeMutableRawPointer] = []

    deinit {
        for pointer in allocations { free(pointer) }
    }

    func string(_ value: String) -> UnsafePointer<CChar> {
        guard let copy = strdup(value) else { fatalError("strdup: out of memory") }
        allocations.append(copy)
        return UnsafePointer(copy)
    }

    func optionalString(_ value: String?) -> UnsafePointer<CChar>? {
        value.map(string)
    }

    /// A NULL-terminated array of C strings (argv/envp shape).
    func stringArray(_ values: [String]) -> UnsafePointer<UnsafePointer<CChar>?> {
        let array = buffer(of: UnsafePointer<CChar>?.self, count: values.count + 1)
        for (index, value) in values.enumerated() { array[index] = string(value) }
        array[values.count] = nil
        return UnsafePointer(array)
    }

    func array<T>(_ values: [T]) -> UnsafePointer<T>? {
        guard !values.isEmpty else { return nil }
        let array = buffer(of: T.self, count: values.count)
        for (index, value) in values.enumerated() { (array + index).initialize(to: value) }
        return UnsafePointer(array)
    }

    func buffer<T>(of type: T.Type, count: Int) -> UnsafeMutablePointer<T> {
        let bytes = max(1, MemoryLayout<T>.stride * count)
        guard let raw = calloc(1, bytes) else { fatalError("calloc: out of memory") }
        allocations.append(raw)
        return raw.bindMemory(to: T.self, capacity: max(1, count))
    }
}
