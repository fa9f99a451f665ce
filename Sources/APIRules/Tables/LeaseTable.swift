import Foundation
import SkiffAPI

/// `kubectl get leases`: NAME HOLDER AGE.
enum LeaseTable: TablePrinter {
    static let columns: [TableColumn] = [
        .name,
        TableColumn(
            "Holder",
            description:
                "holderIdentity contains the identity of the holder of a current lease. If Coordinated Leader Election is used, the holder identity must be equal to the elected LeaseCandidate.metadata.name field."
        ),
        .age,
    ]

    static func cells(_ lease: JSONValue, now: Date) -> [JSONValue] {
        [
            .string(lease["metadata"]["name"].tableString),
            .string(lease["spec"]["holderIdentity"].tableString),
            .string(TableTime.since(lease["metadata"]["creationTimestamp"], now: now)),
        ]
    }
}
