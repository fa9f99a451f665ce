import Foundation
import Glibc
import NodeRuntime
import Testing

@Suite struct ContainerLogTests {
    /// The record shape from the brief (a computed property: `Regex` is not `Sendable`).
    static var recordPattern: Regex<(Substring, Substring?, Substring, Substring)> {
        #/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z (stdout|stderr) (F|P) .*$/#
    }

    /// 2026-11-27T23:41:02Z
    static let base = LogTimestamp(seconds: 1_795_822_862)

    // MARK: Timestamps and records

    @Test func timestampsFormatLikeGoRFC3339Nano() throws {
        #expect(Self.base.adding(seconds: 0, nanoseconds: 123_456_789).rfc3339Nano == "2026-11-27T23:41:02.123456789Z")
        #expect(Self.base.adding(seconds: 0, nanoseconds: 120_000_000).rfc3339Nano == "2026-11-27T23:41:02.12Z")
        #expect(Self.base.rfc3339Nano == "2026-11-27T23:41:02Z")
        #expect(Self.base.rfc3339NanoFixed == "2026-11-27T23:41:02.000000000Z")
        #expect(LogTimestamp(seconds: 0).rfc3339Nano == "1970-01-01T00:00:00Z")
        #expect(LogTimestamp(seconds: 951_782_400).rfc3339Nano == "2000-02-29T00:00:00Z")

        let parsed = try #require(LogTimestamp(rfc3339: "2026-11-27T23:41:02.123456789Z"))
        #expect(parsed == Self.base.adding(seconds: 0, nanoseconds: 123_456_789))
        #expect(LogTimestamp(rfc3339: "2026-11-28T00:41:02.5+01:00") == Self.base.adding(seconds: 0, nanoseconds: 500_000_000))
        for bad in ["2026-02-30T00:00:00Z", "2026-11-27T23:41:02", "2026-11-27T23:41:02.1234567890Z", "2026-11-27 23:41:02Z", "x"] {
            #expect(LogTimestamp(rfc3339: bad) == nil, "\(bad)")
        }
        let now = LogTimestamp.now()
        #expect(LogTimestamp(rfc3339: now.rfc3339Nano) == now)
    }

    @Test func recordsRoundTripAndRejectGarbage() {
        let record = CRILogRecord(timestamp: Self.base, stream: .stderr, isPartial: true, content: Array("a b  c".utf8))
        let line = String(decoding: record.encoded, as: UTF8.self)
        #expect(line == "2026-11-27T23:41:02Z stderr P a b  c\n")
        #expect(CRILogRecord.parse(ArraySlice(record.encoded.dropLast())) == record)
        #expect(CRILogRecord.parse(ArraySlice(Array("2026-11-27T23:41:02Z stdout F".utf8)))?.content == [])
        #expect(CRILogRecord.parse(ArraySlice(Array("2026-11-27T23:41:02Z stdout F:x y".utf8)))?.content == Array("y".utf8))
        for bad in ["", "hello", "2026-11-27T23:41:02Z stdin F x", "2026-11-27T23:41:02Z stdout X x", "nottime stdout F x"] {
            #expect(CRILogRecord.parse(ArraySlice(Array(bad.utf8))) == nil, "\(bad)")
        }
    }

    @Test func framerSplitsLongLinesAndHoldsPartials() {
        var framer = LogLineFramer(maxChunk: 4)
        var chunks: [String] = []
        let collect: (ArraySlice<UInt8>, Bool) -> Void = { chunk, partial in
            chunks.append((partial ? "P:" : "F:") + String(decoding: chunk, as: UTF8.self))
        }
        framer.push(Array("ab".utf8), emit: collect)
        #expect(chunks.isEmpty)
        framer.push(Array("c\n0123456789\n0123".utf8), emit: collect)
        #expect(chunks == ["F:abc", "P:0123", "P:4567", "F:89"])
        framer.push(Array("\n\nxyz".utf8), emit: collect)
        #expect(chunks.suffix(2) == ["F:0123", "F:"])
        framer.push(Array("zzzzz".utf8), emit: collect)
        #expect(chunks.last == "P:xyzz")
        framer.flush(emit: collect)
        #expect(chunks.last == "P:zzzz")
        #expect(framer.pendingCount == 0)
    }

    // MARK: Pumping FIFOs

    @Test func pumpsFullLinesInCRIFormat() async throws {
        try await LogTest.withDirectory { dir in
            let fifo = try LogTestFIFO("\(dir)/stdout.fifo")
            let hub = try LogPumpHub()
            let outcomes = LogOutcomes()
            let log = "\(dir)/0.log"
            try await hub.register(
                containerID: "c1", logPath: log, sources: [.fifo(fifo.path, stream: .stdout)],
                onFinished: outcomes.record("c1"))
            try LogTest.write(fifo.containerEnd, "hello\nworld\n\n")
            fifo.closeContainerEnd()
            let outcome = try #require(await outcomes.waitForOutcome("c1"))
            #expect(outcome.reason == .endOfStream)
            #expect(outcome.lastError == nil)
            let text = LogTest.fileText(log)
            for line in text.split(separator: "\n") {
                #expect(line.wholeMatch(of: Self.recordPattern) != nil, "\(line)")
            }
            let records = LogTest.records(log)
            #expect(records.map { String(decoding: $0.content, as: UTF8.self) } == ["hello", "world", ""])
            #expect(records.allSatisfy { $0.stream == .stdout && !$0.isPartial })
            #expect(await hub.stop(containerID: "c1") == nil)
            await hub.shutdown()
        }
    }

    @Test func unterminatedOutputIsFlushedAsPartialAtExit() async throws {
        try await LogTest.withDirectory { dir in
            let fifo = try LogTestFIFO("\(dir)/stdout.fifo")
            let hub = try LogPumpHub()
            let outcomes = LogOutcomes()
            let log = "\(dir)/0.log"
            try await hub.register(
                containerID: "c", logPath: log, sources: [.fifo(fifo.path, stream: .stdout)],
                onFinished: outcomes.record("c"))
            try LogTest.write(fifo.containerEnd, "done\nprompt> ")
            fifo.closeContainerEnd()
            #expect(await outcomes.waitForOutcome("c")?.reason == .endOfStream)
            let records = LogTest.records(log)
            #expect(records.map(\.isPartial) == [false, true])
            #expect(records.last?.content == Array("prompt> ".utf8))
            let lines = try ContainerLogReader(path: log).readLines().lines
            #expect(lines.map(\.text) == ["done", "prompt> "])
            #expect(lines.map(\.isComplete) == [true, false])
            #expect(String(decoding: try ContainerLogReader(path: log).read(), as: UTF8.self) == "done\nprompt> ")
            await hub.shutdown()
        }
    }

    @Test func longLinesAreSplitInto16KiBChunksAndJoinedBack() async throws {
        try await LogTest.withDirectory { dir in
            let fifo = try LogTestFIFO("\(dir)/stdout.fifo")
            let hub = try LogPumpHub()
            let outcomes = LogOutcomes()
            let log = "\(dir)/0.log"
            try await hub.register(
                containerID: "c", logPath: log, sources: [.fifo(fifo.path, stream: .stdout)],
                onFinished: outcomes.record("c"))
            let long = String((0..<40_000).map { Character(UnicodeScalar(UInt8(97 + $0 % 26))) })
            try LogTest.write(fifo.containerEnd, long + "\nshort\n")
            fifo.closeContainerEnd()
            #expect(await outcomes.waitForOutcome("c")?.reason == .endOfStream)
            let records = LogTest.records(log)
            #expect(records.map(\.content.count) == [16_384, 16_384, 7_232, 5])
            #expect(records.map(\.isPartial) == [true, true, false, false])
            let lines = try ContainerLogReader(path: log).readLines().lines
            #expect(lines.map(\.text) == [long, "short"])
            await hub.shutdown()
        }
    }

    @Test func interleavedStreamsKeepTheirTags() async throws {
        try await LogTest.withDirectory { dir in
            let out = try LogTestFIFO("\(dir)/stdout.fifo")
            let err = try LogTestFIFO("\(dir)/stderr.fifo")
            let hub = try LogPumpHub()
            let outcomes = LogOutcomes()
            let log = "\(dir)/0.log"
            try await hub.register(
                containerID: "c", logPath: log,
                sources: [.fifo(out.path, stream: .stdout), .fifo(err.path, stream: .stderr)],
                onFinished: outcomes.record("c"))
            var expected: [(LogStream, String)] = []
            for index in 0..<6 {
                let (fifo, stream) = index % 2 == 0 ? (out, LogStream.stdout) : (err, LogStream.stderr)
                try LogTest.write(fifo.containerEnd, "\(stream.rawValue) \(index)\n")
                expected.append((stream, "\(stream.rawValue) \(index)"))
                // Wait for each write so the order across the two pipes is defined.
                #expect(await LogTest.waitUntil { LogTest.records(log).count == index + 1 })
            }
            // Bulk writes to both: each stream's own order must hold.
            for index in 0..<200 {
                try LogTest.write(out.containerEnd, "bulk-out \(index)\n")
                try LogTest.write(err.containerEnd, "bulk-err \(index)\n")
            }
            out.closeContainerEnd()
            err.closeContainerEnd()
            #expect(await outcomes.waitForOutcome("c")?.reason == .endOfStream)
            let records = LogTest.records(log)
            let first = records.prefix(6).map { ($0.stream, String(decoding: $0.content, as: UTF8.self)) }
            #expect(first.map(\.0) == expected.map(\.0))
            #expect(first.map(\.1) == expected.map(\.1))
            let rest = records.dropFirst(6)
            #expect(rest.filter { $0.stream == .stdout }.map { String(decoding: $0.content, as: UTF8.self) }
                == (0..<200).map { "bulk-out \($0)" })
            #expect(rest.filter { $0.stream == .stderr }.map { String(decoding: $0.content, as: UTF8.self) }
                == (0..<200).map { "bulk-err \($0)" })
            let stderrOnly = try ContainerLogReader(path: log).readLines(LogReadOptions(stream: .stderr)).lines
            #expect(stderrOnly.count == 203 && stderrOnly.allSatisfy { $0.stream == .stderr })
            await hub.shutdown()
        }
    }

    @Test func anonymousPipeDescriptorsWork() async throws {
        try await LogTest.withDirectory { dir in
            var ends: [Int32] = [-1, -1]
            #expect(pipe(&ends) == 0)
            let hub = try LogPumpHub()
            let outcomes = LogOutcomes()
            try await hub.register(
                containerID: "p", logPath: "\(dir)/0.log", sources: [.descriptor(ends[0], stream: .stderr)],
                onFinished: outcomes.record("p"))
            try LogTest.write(ends[1], "via pipe\n")
            LogIO.close(ends[1])
            #expect(await outcomes.waitForOutcome("p")?.reason == .endOfStream)
            #expect(LogTest.records("\(dir)/0.log").map(\.stream) == [.stderr])
            await hub.shutdown()
        }
    }

    // MARK: Rotation

    @Test func rotationKeepsAtMostMaxFilesAndWholeRecords() async throws {
        try await LogTest.withDirectory { dir in
            let fifo = try LogTestFIFO("\(dir)/stdout.fifo")
            let hub = try LogPumpHub()
            let outcomes = LogOutcomes()
            let log = "\(dir)/0.log"
            let policy = try LogRotationPolicy(maxSize: 1_024, maxFiles: 3)
            try await hub.register(
                containerID: "c", logPath: log, policy: policy, sources: [.fifo(fifo.path, stream: .stdout)],
                onFinished: outcomes.record("c"))
            for index in 0..<300 {
                try LogTest.write(fifo.containerEnd, "line \(index)\n")
                if index % 25 == 0 { try await Task.sleep(for: .milliseconds(2)) }
            }
            fifo.closeContainerEnd()
            let outcome = try #require(await outcomes.waitForOutcome("c"))
            #expect(outcome.reason == .endOfStream)
            #expect(outcome.lastError == nil)

            let rotated = RotatedLogFiles.list(for: log)
            #expect(rotated.count == 2)
            var lineNumbers: [Int] = []
            for file in rotated + [log] {
                let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0
                #expect(size <= policy.maxSize, "\(file) is \(size) bytes")
                #expect(LogTest.fileText(file).hasSuffix("\n"))
                #expect(file == log || file.wholeMatch(of: #/.*/0\.log\.\d{8}-\d{6}(\.\d+)?/#) != nil, "\(file)")
                lineNumbers += LogTest.records(file).map {
                    #expect(!$0.isPartial)
                    return Int(String(decoding: $0.content.dropFirst(5), as: UTF8.self)) ?? -1
                }
            }
            // The surviving files hold an unbroken run ending with the last line.
            let firstKept = try #require(lineNumbers.first)
            #expect(lineNumbers == Array(firstKept..<300))
            let read = try ContainerLogReader(path: log).readLines()
            #expect(read.lines.map(\.text) == (firstKept..<300).map { "line \($0)" })
            #expect(read.malformedRecords == 0)
            await hub.shutdown()
        }
    }

    @Test func rotationLosesNoLineWhenEverythingIsKept() async throws {
        try await LogTest.withDirectory { dir in
            let log = "\(dir)/0.log"
            let writer = try ContainerLogWriter(path: log, policy: LogRotationPolicy(maxSize: 300, maxFiles: 100))
            var time = Self.base
            for index in 0..<120 {
                time = time.adding(seconds: 0, nanoseconds: 1_000)
                writer.append(stream: index % 3 == 0 ? .stderr : .stdout, isPartial: false, content: Array("entry \(index)".utf8), at: time)
                if index % 7 == 0 { writer.flush() }
            }
            // A line split into P chunks may straddle a rotation; the reader joins it.
            writer.append(stream: .stdout, isPartial: true, content: Array(repeating: UInt8(ascii: "x"), count: 200), at: time)
            writer.append(stream: .stdout, isPartial: false, content: Array(repeating: UInt8(ascii: "y"), count: 200), at: time)
            writer.close()
            #expect(writer.lastError == nil)
            let files = RotatedLogFiles.list(for: log)
            #expect(files.count > 10)
            let lines = try ContainerLogReader(path: log).readLines().lines
            #expect(lines.dropLast().map(\.text) == (0..<120).map { "entry \($0)" })
            #expect(lines.last?.text == String(repeating: "x", count: 200) + String(repeating: "y", count: 200))
        }
    }

    // MARK: Reading

    /// a(+1) b(+2, stderr) c1(+3, P) d(+4, stderr) c2(+5) garbage e(+6)
    static func writeSampleLog(_ path: String) throws {
        var text = ""
        let entries: [(Int64, LogStream, Bool, String)] = [
            (1, .stdout, false, "a"), (2, .stderr, false, "b"), (3, .stdout, true, "c1"),
            (4, .stderr, false, "d"), (5, .stdout, false, "c2"),
        ]
        for (offset, stream, partial, content) in entries {
            let record = CRILogRecord(
                timestamp: base.adding(seconds: offset), stream: stream, isPartial: partial, content: Array(content.utf8))
            text += String(decoding: record.encoded, as: UTF8.self)
        }
        text += "this is not a CRI record\n"
        text += "\(base.adding(seconds: 6, nanoseconds: 5).rfc3339Nano) stdout F e\n"
        try text.write(toFile: path, atomically: false, encoding: .utf8)
    }

    @Test func readerAppliesKubectlLogsOptions() async throws {
        try await LogTest.withDirectory { dir in
            let log = "\(dir)/0.log"
            try Self.writeSampleLog(log)
            let reader = ContainerLogReader(path: log)

            let all = try reader.readLines()
            #expect(all.lines.map(\.text) == ["a", "b", "d", "c1c2", "e"])
            #expect(all.lines.first { $0.text == "c1c2" }?.timestamp == Self.base.adding(seconds: 3))
            #expect(all.malformedRecords == 1)

            #expect(try reader.readLines(LogReadOptions(tailLines: 2)).lines.map(\.text) == ["c1c2", "e"])
            #expect(try reader.readLines(LogReadOptions(tailLines: 0)).lines.isEmpty)
            #expect(try reader.readLines(LogReadOptions(sinceTime: Self.base.adding(seconds: 4))).lines.map(\.text) == ["d", "e"])
            let recent = LogReadOptions(sinceSeconds: 2)
            #expect(try reader.readLines(recent, now: Self.base.adding(seconds: 5, nanoseconds: 500_000_000)).lines.map(\.text) == ["d", "e"])
            #expect(try reader.readLines(LogReadOptions(stream: .stderr)).lines.map(\.text) == ["b", "d"])
            #expect(try reader.readLines(LogReadOptions(stream: .stdout, tailLines: 1)).lines.map(\.text) == ["e"])

            let stamped = String(decoding: try reader.read(LogReadOptions(tailLines: 1, timestamps: true)), as: UTF8.self)
            #expect(stamped == "2026-11-27T23:41:08.000000005Z e\n")
            #expect(String(decoding: try reader.read(LogReadOptions(limitBytes: 3)), as: UTF8.self) == "a\nb")
            #expect(String(decoding: try reader.read(), as: UTF8.self) == "a\nb\nd\nc1c2\ne\n")

            #expect(throws: RuntimeError.self) { try reader.readLines(LogReadOptions(tailLines: -1)) }
            #expect(throws: RuntimeError.self) { try reader.readLines(LogReadOptions(sinceTime: Self.base, sinceSeconds: 1)) }
            #expect(throws: RuntimeError.self) { try reader.readLines(LogReadOptions(limitBytes: 0)) }
            #expect(try ContainerLogReader(path: "\(dir)/missing.log").readLines().lines.isEmpty)
        }
    }

    @Test func asyncReadRunsOffThePool() async throws {
        try await LogTest.withDirectory { dir in
            try Self.writeSampleLog("\(dir)/0.log")
            let reader = ContainerLogReader(path: "\(dir)/0.log")
            #expect(try await reader.lines(LogReadOptions(tailLines: 1)).lines.map(\.text) == ["e"])
            #expect(try await reader.bytes(LogReadOptions(limitBytes: 1)) == Array("a".utf8))
        }
    }

    @Test func writerContinuesAfterATornRecord() async throws {
        try await LogTest.withDirectory { dir in
            let log = "\(dir)/0.log"
            // A daemon died inside a record's timestamp.
            try "\(Self.base.rfc3339Nano) stdout F whole\n2026-11-27T23:4".write(
                toFile: log, atomically: false, encoding: .utf8)
            let writer = try ContainerLogWriter(path: log)
            writer.append(stream: .stdout, isPartial: false, content: Array("next".utf8), at: Self.base)
            writer.close()
            let result = try ContainerLogReader(path: log).readLines()
            #expect(result.lines.map(\.text) == ["whole", "next"])
            #expect(result.malformedRecords == 1)
        }
    }

    // MARK: Follow

    @Test func followSeesNewLinesAcrossRotation() async throws {
        try await LogTest.withDirectory { dir in
            let log = "\(dir)/0.log"
            let writer = try ContainerLogWriter(path: log, policy: LogRotationPolicy(maxSize: 400, maxFiles: 50))
            for index in 0..<3 {
                writer.append(stream: .stdout, isPartial: false, content: Array("old \(index)".utf8), at: .now())
            }
            writer.flush()
            let follower = try ContainerLogReader(path: log).follow(LogReadOptions(tailLines: 2))
            let (received, consumer) = FollowedLines.collect(follower)
            #expect(await LogTest.waitUntil { received.count == 2 })
            #expect(received.texts == ["old 1", "old 2"])

            for index in 0..<100 {
                writer.append(stream: .stdout, isPartial: false, content: Array("new \(index)".utf8), at: .now())
                if index % 10 == 9 {
                    writer.flush()
                    try await Task.sleep(for: .milliseconds(1))
                }
            }
            writer.close()
            #expect(RotatedLogFiles.list(for: log).count > 5)
            #expect(await LogTest.waitUntil { received.count == 102 })
            follower.finishAfterDraining()
            #expect(await LogTest.waitUntil { received.hasEnded })
            follower.cancel()  // only matters if finishing failed: never hang the suite
            await consumer.value
            #expect(received.texts == ["old 1", "old 2"] + (0..<100).map { "new \($0)" })
            #expect(follower.failure == nil)
        }
    }

    @Test func followWaitsForTheFileAndStopsOnCancel() async throws {
        try await LogTest.withDirectory { dir in
            let log = "\(dir)/0.log"
            let follower = try ContainerLogReader(path: log).follow()
            let (received, consumer) = FollowedLines.collect(follower)
            let fifo = try LogTestFIFO("\(dir)/stdout.fifo")
            let hub = try LogPumpHub()
            try await hub.register(containerID: "c", logPath: log, sources: [.fifo(fifo.path, stream: .stdout)])
            try LogTest.write(fifo.containerEnd, "first\nsecond\n")
            #expect(await LogTest.waitUntil { received.count == 2 })
            #expect(received.texts == ["first", "second"])
            consumer.cancel()
            await consumer.value
            #expect(received.hasEnded)
            fifo.closeContainerEnd()
            await hub.shutdown()
        }
    }

    @Test func renderingAFollowHonoursLimitBytes() async throws {
        try await LogTest.withDirectory { dir in
            try Self.writeSampleLog("\(dir)/0.log")
            let options = LogReadOptions(timestamps: false, limitBytes: 6)
            let follower = try ContainerLogReader(path: "\(dir)/0.log").follow(options)
            var renderer = LogRenderer(options)
            var out: [UInt8] = []
            for await line in follower {
                renderer.render(line, into: &out)
                if renderer.isExhausted { break }
            }
            follower.cancel()
            #expect(String(decoding: out, as: UTF8.self) == "a\nb\nd\n")
        }
    }

    // MARK: Daemon restart

    @Test func restartedPumpLosesNothingWrittenWhileStopped() async throws {
        try await LogTest.withDirectory { dir in
            let fifo = try LogTestFIFO("\(dir)/stdout.fifo")
            let log = "\(dir)/0.log"
            let firstDaemon = try LogPumpHub()
            try await firstDaemon.register(containerID: "c", logPath: log, sources: [.fifo(fifo.path, stream: .stdout)])
            for index in 0..<50 { try LogTest.write(fifo.containerEnd, "before \(index)\n") }
            try LogTest.write(fifo.containerEnd, "split-")
            #expect(await LogTest.waitUntil { LogTest.fileText(log).contains("before 49") })
            let stopped = try #require(await firstDaemon.stop(containerID: "c"))
            #expect(stopped.reason == .stopped)
            await firstDaemon.shutdown()

            // Nobody reads now; the container keeps writing into the pipe buffer.
            try LogTest.write(fifo.containerEnd, "line\n")
            for index in 0..<2_000 { try LogTest.write(fifo.containerEnd, "during \(index)\n") }

            let secondDaemon = try LogPumpHub()
            let outcomes = LogOutcomes()
            try await secondDaemon.register(
                containerID: "c", logPath: log, sources: [.fifo(fifo.path, stream: .stdout)],
                onFinished: outcomes.record("c"))
            for index in 0..<50 { try LogTest.write(fifo.containerEnd, "after \(index)\n") }
            fifo.closeContainerEnd()
            #expect(await outcomes.waitForOutcome("c")?.reason == .endOfStream)

            let result = try ContainerLogReader(path: log).readLines()
            let expected = (0..<50).map { "before \($0)" } + ["split-line"]
                + (0..<2_000).map { "during \($0)" } + (0..<50).map { "after \($0)" }
            #expect(result.lines.map(\.text) == expected)
            #expect(result.malformedRecords == 0)
            await secondDaemon.shutdown()
        }
    }

    @Test func registeringBeforeTheContainerOpensItsEndWorks() async throws {
        try await LogTest.withDirectory { dir in
            let path = "\(dir)/stdout.fifo"
            try ContainerLogFIFO.create(at: path)
            let hub = try LogPumpHub()
            let outcomes = LogOutcomes()
            let log = "\(dir)/0.log"
            try await hub.register(
                containerID: "c", logPath: log, sources: [.fifo(path, stream: .stdout)],
                onFinished: outcomes.record("c"))
            try await Task.sleep(for: .milliseconds(20))
            #expect(outcomes.all("c").isEmpty, "no writer yet must not read as exited")
            let fifo = try LogTestFIFO(path)
            try LogTest.write(fifo.containerEnd, "started late\n")
            fifo.closeContainerEnd()
            #expect(await outcomes.waitForOutcome("c")?.reason == .endOfStream)
            #expect(try ContainerLogReader(path: log).readLines().lines.map(\.text) == ["started late"])
            await hub.shutdown()
        }
    }

    @Test func stopReleasesAFIFOWhoseContainerIsGone() async throws {
        try await LogTest.withDirectory { dir in
            let fifo = try LogTestFIFO("\(dir)/stdout.fifo")
            fifo.closeContainerEnd()  // exited while no daemon was running
            let hub = try LogPumpHub()
            let outcomes = LogOutcomes()
            try await hub.register(
                containerID: "gone", logPath: "\(dir)/0.log", sources: [.fifo(fifo.path, stream: .stdout)],
                onFinished: outcomes.record("gone"))
            let outcome = await hub.stop(containerID: "gone")
            #expect(outcome?.reason == .stopped)
            #expect(outcome?.bytesWritten == 0)
            #expect(outcomes.all("gone") == [outcome].compactMap { $0 })
            await hub.shutdown()
        }
    }

    @Test func hubRejectsDuplicatesAndWorkAfterShutdown() async throws {
        try await LogTest.withDirectory { dir in
            let fifo = try LogTestFIFO("\(dir)/stdout.fifo")
            let hub = try LogPumpHub()
            let outcomes = LogOutcomes()
            try await hub.register(
                containerID: "c", logPath: "\(dir)/0.log", sources: [.fifo(fifo.path, stream: .stdout)],
                onFinished: outcomes.record("c"))
            await #expect(throws: RuntimeError.self) {
                try await hub.register(containerID: "c", logPath: "\(dir)/1.log", sources: [.fifo(fifo.path, stream: .stderr)])
            }
            await #expect(throws: SystemError.self) {
                try await hub.register(containerID: "d", logPath: "\(dir)/no/such/0.log", sources: [.fifo(fifo.path, stream: .stdout)])
            }
            #expect(await hub.stop(containerID: "unknown") == nil)
            await hub.shutdown()
            #expect(outcomes.all("c").map(\.reason) == [.stopped])
            await #expect(throws: RuntimeError.self) {
                try await hub.register(containerID: "e", logPath: "\(dir)/0.log", sources: [.fifo(fifo.path, stream: .stdout)])
            }
            fifo.closeContainerEnd()
        }
    }

    @Test func reopenContinuesInAFreshFileAfterAnOutsideRotation() async throws {
        try await LogTest.withDirectory { dir in
            let fifo = try LogTestFIFO("\(dir)/stdout.fifo")
            let hub = try LogPumpHub()
            let log = "\(dir)/0.log"
            try await hub.register(containerID: "c", logPath: log, sources: [.fifo(fifo.path, stream: .stdout)])
            try LogTest.write(fifo.containerEnd, "one\n")
            #expect(await LogTest.waitUntil { LogTest.records(log).count == 1 })
            // kubelet's log manager rotates, then asks the runtime to reopen.
            #expect(rename(log, "\(log).20261127-000000") == 0)
            try await hub.reopenLog(containerID: "c")
            try LogTest.write(fifo.containerEnd, "two\n")
            #expect(await LogTest.waitUntil { LogTest.records(log).count == 1 })
            #expect(try ContainerLogReader(path: log).readLines().lines.map(\.text) == ["one", "two"])
            await #expect(throws: RuntimeError.self) { try await hub.reopenLog(containerID: "nope") }
            await hub.shutdown()
        }
    }

    @Test func rotationPolicyIsValidated() {
        #expect(throws: RuntimeError.self) { try LogRotationPolicy(maxSize: 0) }
        #expect(throws: RuntimeError.self) { try LogRotationPolicy(maxFiles: 1) }
        #expect(LogRotationPolicy.kubeletDefault.maxSize == 10 * 1024 * 1024)
        #expect(LogRotationPolicy.kubeletDefault.maxFiles == 5)
    }
}
