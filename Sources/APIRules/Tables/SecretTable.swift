import Foundation
import SkiffAPI

/// `kubectl get secrets`: NAME TYPE DATA AGE.
enum SecretTable: TablePrinter {
    static let columns: [TableColumn] = [
        .name,
        TableColumn(
            "Type",
            description:
                "Used to facilitate programmatic handling of secret data. More info: https://kubernetes.io/docs/concepts/configuration/secret/#secret-types"
        ),
        TableColumn(
            "Data",
            description:
                "Data contains the secret data. Each key must consist of alphanumeric characters, '-', '_' or '.'. The serialized form of the secret data is a base64 encoded string, representing the arbitrary (possibly non-string) data value here. Described in https://tools.ietf.org/html/rfc4648#section-4"
        ),
        .age,
    ]

    static func cells(_ secret: JSONValue, now: Date) -> [JSONValue] {
        [
            .string(secret["metadata"]["name"].tableString),
            .string(secret["type"].tableString),
            .integer(Int64(secret["data"].objectValue?.count ?? 0)),
            .string(TableTime.since(secret["metadata"]["creationTimestamp"], now: now)),
        ]
    }
}
