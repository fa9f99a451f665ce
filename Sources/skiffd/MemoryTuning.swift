import CShims

/// How skiffd asks glibc's allocator to keep its resident memory near what it
/// uses. Its work hops across Swift's cooperative threads, Dispatch's and
/// NIO's, and glibc gives each thread that meets a locked arena one of its
/// own, up to eight per core: freed memory then sits in many arenas that never
/// shrink, and RSS stays at the high-water mark of every burst (bench-scale
/// measured 238 MB at 1,000 pods, 305 MB after scaling down and up again).
enum MemoryTuning {
    /// At start, before the threads exist: at most two arenas.
    static func limitArenas() {
        _ = skiff_malloc_arena_max(2)
    }

    /// Hands free pages at the top of the heaps and whole free pages inside
    /// them back to the kernel every `interval`, off the cooperative pool
    /// (a trim walks every arena). Runs until the task is cancelled.
    static func trimPeriodically(every interval: Duration = .seconds(15)) -> Task<Void, Never> {
        Task.detached(priority: .background) {
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                _ = skiff_malloc_trim()
            }
        }
    }
}
