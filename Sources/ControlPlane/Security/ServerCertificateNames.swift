import Foundation
import SwiftASN1
import X509

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The names the API server's certificate must cover: every name and address a client
/// may dial. kubectl (Go's TLS) checks the URL's host against these SANs, so a missing one
/// turns into `x509: certificate is valid for …, not …` on the client.
struct ServerCertificateNames: Equatable, Sendable {
    /// Lowercased DNS names, in the order they go into the certificate.
    var dnsNames: [String]
    /// Raw addresses: 4 bytes for IPv4, 16 for IPv6.
    var ipAddresses: [[UInt8]]

    /// The in-cluster names of the `kubernetes` Service, as kube-apiserver puts them in its
    /// certificate, so that pods reaching it through the Service see a valid name.
    static let serviceNames = [
        "localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc",
        "kubernetes.default.svc.cluster.local",
    ]

    /// The defaults plus `hostname`, `hosts` and `ipAddresses`. A `hosts` entry that is an
    /// IP literal (`--tls-san 10.0.0.5`) becomes an IP SAN, as k3s does.
    init(hostname: String?, hosts: [String], ipAddresses: [String]) throws(PKIError) {
        var dns: [String] = []
        var ips: [[UInt8]] = []
        func addDNS(_ name: String) {
            let lowered = name.lowercased()
            if !lowered.isEmpty, !dns.contains(lowered) { dns.append(lowered) }
        }
        func addIP(_ bytes: [UInt8]) {
            if !ips.contains(bytes) { ips.append(bytes) }
        }
        Self.serviceNames.forEach(addDNS)
        if let hostname { addDNS(hostname) }
        for host in hosts {
            let trimmed = host.trimmingCharacters(in: .whitespaces)
            if let bytes = Self.addressBytes(trimmed) { addIP(bytes) } else { addDNS(trimmed) }
        }
        addIP([127, 0, 0, 1])
        addIP([UInt8](repeating: 0, count: 15) + [1])
        for address in ipAddresses {
            let trimmed = address.trimmingCharacters(in: .whitespaces)
            guard let bytes = Self.addressBytes(trimmed) else {
                throw PKIError(
                    step: "choosing the server certificate's names",
                    message: "\"\(address)\" is not a valid IP address")
            }
            addIP(bytes)
        }
        self.dnsNames = dns
        self.ipAddresses = ips
    }

    /// The names a certificate already carries.
    init(certificate: Certificate) {
        var dns: [String] = []
        var ips: [[UInt8]] = []
        let names = (try? certificate.extensions.subjectAlternativeNames) ?? SubjectAlternativeNames()
        for name in names {
            switch name {
            case .dnsName(let value): dns.append(value.lowercased())
            case .ipAddress(let octets): ips.append(Array(octets.bytes))
            default: break
            }
        }
        self.dnsNames = dns
        self.ipAddresses = ips
    }

    /// Whether every name and address of `other` is also in `self`.
    func covers(_ other: ServerCertificateNames) -> Bool {
        Set(other.dnsNames).isSubset(of: Set(dnsNames)) && Set(other.ipAddresses).isSubset(of: Set(ipAddresses))
    }

    /// The subjectAltName extension value.
    var subjectAlternativeNames: SubjectAlternativeNames {
        SubjectAlternativeNames(
            dnsNames.map { GeneralName.dnsName($0) }
                + ipAddresses.map { GeneralName.ipAddress(ASN1OctetString(contentBytes: $0[...])) })
    }

    /// The 4 or 16 network-order bytes of an IPv4 or IPv6 literal; nil for anything else.
    static func addressBytes(_ text: String) -> [UInt8]? {
        var v4 = [UInt8](repeating: 0, count: 4)
        if v4.withUnsafeMutableBytes({ inet_pton(AF_INET, text, $0.baseAddress) }) == 1 { return v4 }
        var v6 = [UInt8](repeating: 0, count: 16)
        if v6.withUnsafeMutableBytes({ inet_pton(AF_INET6, text, $0.baseAddress) }) == 1 { return v6 }
        return nil
    }

    /// This machine's hostname, which k3s also puts in the serving certificate; nil when it
    /// cannot be read.
    static func currentHostname() -> String? {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return nil }
        let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return name.isEmpty ? nil : name
    }
}
