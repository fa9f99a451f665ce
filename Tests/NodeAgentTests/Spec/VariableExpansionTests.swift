import Testing

@testable import NodeAgent

@Suite struct VariableExpansionTests {
    let table: [String: String] = ["A": "alpha", "B": "beta", "EMPTY": "", "REF": "$(A)"]

    func expand(_ input: String) -> String {
        VariableExpansion.expand(input) { table[$0] }
    }

    @Test func replacesKnownReferences() {
        #expect(expand("$(A)") == "alpha")
        #expect(expand("x$(A)-$(B)y") == "xalpha-betay")
        #expect(expand("$(EMPTY)z") == "z")
    }

    @Test func leavesUnknownReferencesAsWritten() {
        #expect(expand("$(MISSING)") == "$(MISSING)")
        #expect(expand("a$(MISSING)b$(A)") == "a$(MISSING)balpha")
        #expect(expand("$()") == "$()")
    }

    @Test func doubleDollarEscapes() {
        #expect(expand("$$(A)") == "$(A)")
        #expect(expand("$$$(A)") == "$alpha")
        #expect(expand("$$") == "$")
        #expect(expand("cost: $$5") == "cost: $5")
    }

    @Test func dollarWithoutReferenceIsCopied() {
        #expect(expand("$") == "$")
        #expect(expand("a$") == "a$")
        #expect(expand("$A") == "$A")
        #expect(expand("$(A") == "$(A")
        #expect(expand("$(x $(A") == "$(x $(A")
        // The name runs to the first `)`: here it is `$(A`, which is unknown.
        #expect(expand("$($(A)") == "$($(A)")
        #expect(expand("$(A$(B)") == "$(A$(B)")
    }

    @Test func valuesAreNotExpandedAgain() {
        #expect(expand("$(REF)") == "$(A)")
    }

    @Test func keepsNonASCIIText() {
        #expect(expand("ü$(A)é") == "üalphaé")
        #expect(expand("$(Ä)") == "$(Ä)")
    }

    @Test func expandsAgainstEnvironmentEntriesLaterWinning() {
        #expect(VariableExpansion.expand("$(X)/$(Y)", environment: ["X=1", "Y=a=b", "X=2"]) == "2/a=b")
    }
}

@Suite struct ContainerCommandLineTests {
    @Test func expandsCommandAndArgs() throws {
        let container = try json(#"{"name":"c","command":["/bin/sh","-c","echo $(GREETING) $$(HOME)"],"args":["$(NAME)","$(NOPE)"]}"#)
        let line = ContainerCommandLine.expand(container: container, env: ["GREETING=hi", "NAME=skiff"])
        #expect(line.command == ["/bin/sh", "-c", "echo hi $(HOME)"])
        #expect(line.args == ["skiff", "$(NOPE)"])
    }

    @Test func unsetOrEmptyListsStayNil() throws {
        let container = try json(#"{"name":"c","command":[]}"#)
        let line = ContainerCommandLine.expand(container: container, env: [])
        #expect(line.command == nil)
        #expect(line.args == nil)
    }
}
