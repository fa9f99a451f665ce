import Foundation
import SkiffAPI

/// `kubectl get endpoints`: NAME ENDPOINTS AGE.
enum EndpointsTable: TablePrinter {
    static let columns: [TableColumn] = [
        .name,
        TableColumn(
            "Endpoints",
            description:
                "The set of all endpoints is the union of all subsets. Addresses are placed into subsets according to the IPs they share. A single address with multiple ports, some of which are ready and some of which are not (because they come from different containers) will result in the address being displayed in different subsets for the different ports. No address will appear in both Addresses and NotReadyAddresses in the same subset. Sets of addresses and ports that comprise a service."
        ),
        .age,
    ]

    static func cells(_ endpoints: JSONValue, now: Date) -> [JSONValue] {
        [
            .string(endpoints["metadata"]["name"].tableString),
            .string(formatEndpoints(endpoints["subsets"].tableList)),
            .string(TableTime.since(endpoints["metadata"]["creationTimestamp"], now: now)),
        ]
    }

    /// `formatEndpoints`: the first three `ip:port` pairs (bare IPs for port-less subsets),
    /// then ` + N more...`; `<none>` with no subsets. Only ready addresses are listed.
    private static func formatEndpoints(_ subsets: [JSONValue]) -> String {
        guard !subsets.isEmpty else { return "<none>" }
        let max = 3
        var list: [String] = []
        var more = false
        var count = 0
        for subset in subsets {
            let addresses = subset["addresses"].tableList.map { $0["ip"].tableString }
            let ports = subset["ports"].tableList
            if ports.isEmpty {
                count += addresses.count
                for address in addresses {
                    if list.count == max {
                        more = true
                        break
                    }
                    list.append(address)
                }
                continue
            }
            for port in ports {
                count += addresses.count
                for address in addresses {
                    if list.count == max {
                        more = true
                        break
                    }
                    list.append(TableFormat.hostPort(address, port["port"].tableInt))
                }
            }
        }
        let joined = list.joined(separator: ",")
        return more ? "\(joined) + \(count - max) more..." : joined
    }
}
