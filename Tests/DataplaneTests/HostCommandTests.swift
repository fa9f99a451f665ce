import Glibc
import Testing

@testable import Dataplane

/// Running host programs through the hostexec shim.
@Suite struct HostCommandTests {
    @Test func feedsStdinAndCapturesStdoutAndStderrTogether() throws {
        let command = HostCommand(path: "/bin/sh", arguments: ["-c", "cat; echo oops >&2; exit 3"])
        let result = try command.run(input: "hello\n")
        #expect(result == HostCommand.Result(status: 3, output: "hello\noops\n", truncated: false))
        #expect(throws: DataplaneError.command(step: "/bin/sh -c cat; echo oops >&2; exit 3", status: 3, output: "hello\noops\n")) {
            try command.check(input: "hello\n")
        }
    }

    @Test func largeInputAndOutputDoNotDeadlockAndOutputIsBounded() throws {
        let input = String(repeating: "0123456789abcde\n", count: 1 << 16) // 1 MiB, far beyond a pipe buffer
        let bounded = try HostCommand(path: "/bin/cat", arguments: [], outputLimit: 1000).run(input: input)
        #expect(bounded.status == 0 && bounded.truncated && bounded.output.utf8.count == 1000)
        let whole = try HostCommand(path: "/bin/cat", arguments: [], outputLimit: 4 << 20).run(input: input)
        #expect(whole.output == input && !whole.truncated)
    }

    @Test func aProgramThatIgnoresItsInputIsNotAnError() throws {
        let input = String(repeating: "x", count: 1 << 20)
        #expect(try HostCommand(path: "/bin/true", arguments: []).run(input: input).status == 0)
    }

    @Test func aKilledProgramReportsTheSignalLikeAShell() throws {
        #expect(try HostCommand(path: "/bin/sh", arguments: ["-c", "kill -9 $$"]).run().status == 137)
    }

    @Test func childFailuresNameTheStepAndErrno() {
        #expect(throws: DataplaneError.kernel(step: "execve /nonexistent/iptables", errno: ENOENT)) {
            try HostCommand(path: "/nonexistent/iptables", arguments: []).run()
        }
        #expect(throws: DataplaneError.kernel(step: "open /nonexistent/netns", errno: ENOENT)) {
            try HostCommand(path: "/bin/true", arguments: [], netnsPath: "/nonexistent/netns").run()
        }
        // An nsfs file of another kind: the child's setns refuses it.
        #expect(throws: DataplaneError.kernel(step: "setns /proc/self/ns/uts", errno: EINVAL)) {
            try HostCommand(path: "/bin/true", arguments: [], netnsPath: "/proc/self/ns/uts").run()
        }
    }

    @Test(.enabled(if: IPTablesTestNetns.isAvailable, "creating a network namespace needs root and iproute2"))
    func runsInsideTheGivenNetworkNamespace() throws {
        let netns = try IPTablesTestNetns()
        defer { netns.remove() }
        let inode = try HostCommand(path: "/usr/bin/stat", arguments: ["-L", "-c", "%i", netns.path]).check()
        let inside = try HostCommand(path: "/bin/readlink", arguments: ["/proc/self/ns/net"], netnsPath: netns.path).check()
        let outside = try HostCommand(path: "/bin/readlink", arguments: ["/proc/self/ns/net"]).check()
        #expect(inside == "net:[\(inode.dropLast())]\n")
        #expect(outside != inside)
    }
}
