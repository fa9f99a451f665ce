/// Lines selected from a container's log files.
package struct LogReadResult: Equatable, Sendable {
    package var lines: [ContainerLogLine]
    /// Lines in the files that were not CRI records and were skipped (a
    /// crash-torn write, a foreign writer); reported so damage is visible, not fatal.
    package var malformedRecords: Int

    package init(lines: [ContainerLogLine], malformedRecords: Int) {
        self.lines = lines
        self.malformedRecords = malformedRecords
    }
}
