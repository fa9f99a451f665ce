import ControlPlane
import Testing

@Suite struct StorageRevisionTests {
    @Test func ordersByValue() {
        #expect(StorageRevision(1) < StorageRevision(2))
        #expect(StorageRevision(7).description == "7")
    }
}
