import Foundation
import SkiffAPI

/// `kubectl get endpointslices`: NAME ADDRESSTYPE PORTS ENDPOINTS AGE.
enum EndpointSliceTable: TablePrinter {
    static let columns: [TableColumn] = [
        .name,
        TableColumn(
            "AddressType",
            description:
                "addressType specifies the type of address carried by this EndpointSlice. All addresses in this slice must be the same type. This field is immutable after creation. The following address types are currently supported: * IPv4: Represents an IPv4 Address. * IPv6: Represents an IPv6 Address. * FQDN: Represents a Fully Qualified Domain Name."
        ),
        TableColumn(
            "Ports",
            description:
                "ports specifies the list of network ports exposed by each endpoint in this slice. Each port must have a unique name. When ports is empty, it indicates that there are no defined ports. When a port is defined with a nil port value, it indicates \"all ports\". Each slice may include a maximum of 100 ports."
        ),
        TableColumn(
            "Endpoints",
            description:
                "endpoints is a list of unique endpoints in this slice. Each slice may include a maximum of 1000 endpoints."
        ),
        .age,
    ]

    static func cells(_ slice: JSONValue, now: Date) -> [JSONValue] {
        [
            .string(slice["metadata"]["name"].tableString),
            .string(slice["addressType"].tableString),
            .string(ports(slice["ports"].tableList)),
            .string(endpoints(slice["endpoints"].tableList)),
            .string(TableTime.since(slice["metadata"]["creationTimestamp"], now: now)),
        ]
    }

    /// `formatDiscoveryPorts`: port numbers, else names, else `*` for "all ports".
    private static func ports(_ ports: [JSONValue]) -> String {
        let max = 3
        let shown = ports.prefix(max).map { port -> String in
            if let number = port["port"].int64Value { return "\(number)" }
            return port["name"].stringValue ?? "*"
        }
        return TableFormat.listWithMore(Array(shown), more: ports.count > max, count: ports.count, max: max)
    }

    /// `formatDiscoveryEndpoints`: every address of every endpoint, the first three shown.
    private static func endpoints(_ endpoints: [JSONValue]) -> String {
        let max = 3
        let addresses = endpoints.flatMap { $0["addresses"].tableList.map(\.tableString) }
        return TableFormat.listWithMore(
            Array(addresses.prefix(max)), more: addresses.count > max, count: addresses.count, max: max)
    }
}
