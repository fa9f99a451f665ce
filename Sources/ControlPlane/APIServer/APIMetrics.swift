import Foundation
import Prometheus
import Synchronization

/// What `/metrics` reports, named as the real API server names it so existing
/// dashboards and habits carry over: request counts and latencies by verb and
/// resource, open watches, and how long the store takes.
final class APIMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    /// Metric handles by label set: the registry's own lookup locks and builds
    /// the name on every call, which showed up in create profiles.
    private let counters = Mutex<[String: Counter]>([:])
    private let histograms = Mutex<[String: DurationHistogram]>([:])

    private static let latencyBuckets: [Duration] = [
        .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10),
        .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500),
        .seconds(1), .seconds(5),
    ]

    func recordRequest(verb: String, resource: String, code: Int, duration: Duration) {
        let counterKey = "\(verb)|\(resource)|\(code)"
        if let counter = counters.withLock({ $0[counterKey] }) {
            counter.increment()
        } else {
            let counter = makeRequestCounter(verb: verb, resource: resource, code: code)
            counters.withLock { $0[counterKey] = counter }
            counter.increment()
        }
        let histogramKey = "request|\(verb)|\(resource)"
        if let histogram = histograms.withLock({ $0[histogramKey] }) {
            histogram.record(duration)
        } else {
            let histogram = makeRequestHistogram(verb: verb, resource: resource)
            histograms.withLock { $0[histogramKey] = histogram }
            histogram.record(duration)
        }
    }

    private func makeRequestCounter(verb: String, resource: String, code: Int) -> Counter {
        registry.makeCounter(
            descriptor: MetricNameDescriptor(
                namespace: "apiserver", metricName: "request", unitName: "total",
                helpText: "Counter of apiserver requests broken out by verb, resource and HTTP response code."),
            labels: [("verb", verb), ("resource", resource), ("code", String(code))])
    }

    private func makeRequestHistogram(verb: String, resource: String) -> DurationHistogram {
        registry.makeDurationHistogram(
            descriptor: MetricNameDescriptor(
                namespace: "apiserver", subsystem: "request", metricName: "duration", unitName: "seconds",
                helpText: "Response latency distribution in seconds for each verb and resource."),
            labels: [("verb", verb), ("resource", resource)], buckets: Self.latencyBuckets)
    }

    func watchOpened(resource: String) { watchers(resource).increment(by: 1) }
    func watchClosed(resource: String) { watchers(resource).decrement(by: 1) }

    private func watchers(_ resource: String) -> Gauge {
        registry.makeGauge(
            descriptor: MetricNameDescriptor(
                namespace: "apiserver", metricName: "registered_watchers", unitName: "count",
                helpText: "Number of currently open watches for a given resource."),
            labels: [("resource", resource)])
    }

    func recordStorage(operation: String, duration: Duration) {
        let key = "storage|\(operation)"
        if let histogram = histograms.withLock({ $0[key] }) {
            histogram.record(duration)
            return
        }
        let histogram = registry.makeDurationHistogram(
            descriptor: MetricNameDescriptor(
                namespace: "skiff", subsystem: "storage", metricName: "request_duration", unitName: "seconds",
                helpText: "Latency of storage operations (SQLite by default) by operation."),
            labels: [("operation", operation)], buckets: Self.latencyBuckets)
        histograms.withLock { $0[key] = histogram }
        histogram.record(duration)
    }

    func exposition() -> [UInt8] { registry.emitToBuffer() }
}
