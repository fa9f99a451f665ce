import Foundation
import Glibc
import Testing
@testable import NodeRuntime

/// The early no-op cgroup move that keeps the kernel's wait off a container's
/// start: it must be taken by the kernel and must move nothing.
@Suite struct CgroupMigrationPrimerTests {
    @Test func cgroupV2NeedsNoPrimer() {
        #expect(CgroupMigrationPrimer.forHost(.unified(mount: CgroupMount(mountPoint: "/sys/fs/cgroup"))) == nil)
    }

    @Test func prefersThePidsHierarchy() throws {
        let v1 = ["cpu": CgroupMount(mountPoint: "/sys/fs/cgroup/cpu"), "pids": CgroupMount(mountPoint: "/sys/fs/cgroup/pids")]
        let primer = try #require(CgroupMigrationPrimer.forHost(.legacy(v1: v1)))
        #expect(primer.controller == "pids")
        #expect(primer.mountPoint == "/sys/fs/cgroup/pids")
    }

    @Test(.enabled(if: CgroupTestSupport.canUseLegacyCgroups))
    func theMoveIsTakenAndMovesNothing() throws {
        let primer = try #require(CgroupMigrationPrimer.forHost(try CgroupLayout.detect()))
        // Every thread of this process, before and after: the move is of the
        // calling thread into the cgroup it already is in.
        func memberships() throws -> [String: String] {
            var all: [String: String] = [:]
            for task in try FileManager.default.contentsOfDirectory(atPath: "/proc/self/task") {
                all[task] = try? String(contentsOfFile: "/proc/self/task/\(task)/cgroup", encoding: .utf8)
            }
            return all
        }
        let before = try memberships()
        #expect(primer.moveThisThread())
        let after = try memberships()
        for (task, cgroups) in before {
            guard let now = after[task] else { continue }  // a thread that ended meanwhile
            #expect(now == cgroups, "thread \(task) moved")
        }
    }
}
