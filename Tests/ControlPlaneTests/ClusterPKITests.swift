import Foundation
import Testing

@testable import ControlPlane

@Suite("Cluster PKI")
struct ClusterPKITests {
    @Test("a first start creates the CA and server certificate; a restart loads the same ones")
    func createThenReload() throws {
        let directory = try PKITestDirectory()
        let first = try ClusterPKI.loadOrCreate(directory: directory.url, hosts: [], ipAddresses: ["10.0.0.5"])
        let second = try ClusterPKI.loadOrCreate(directory: directory.url, hosts: [], ipAddresses: ["10.0.0.5"])
        #expect(first.caCertificatePEM == second.caCertificatePEM)
        #expect(first.serverCertificatePEM == second.serverCertificatePEM)
        #expect(first.serverPrivateKeyPEM == second.serverPrivateKeyPEM)
        #expect(try directory.text("tls/ca.crt") == first.caCertificatePEM)
        #expect(try directory.text("tls/server.crt") == first.serverCertificatePEM)
        #expect(try directory.text("tls/server.key") == first.serverPrivateKeyPEM)
        #expect(first.caCertificatePEM.hasPrefix("-----BEGIN CERTIFICATE-----\n"))
        #expect(first.serverPrivateKeyPEM.contains("PRIVATE KEY-----"))
    }

    @Test("the server certificate verifies against the CA with openssl, for TLS serving and its names")
    func opensslVerifies() throws {
        let directory = try PKITestDirectory()
        _ = try ClusterPKI.loadOrCreate(directory: directory.url, hosts: ["skiff.example"], ipAddresses: ["10.0.0.5"])
        let ca = directory.file("tls/ca.crt").path
        let server = directory.file("tls/server.crt").path
        for check in [
            ["-purpose", "sslserver"], ["-verify_ip", "10.0.0.5"], ["-verify_ip", "127.0.0.1"],
            ["-verify_hostname", "kubernetes.default.svc"], ["-verify_hostname", "skiff.example"],
        ] {
            let result = try runTool(opensslPath, ["verify", "-CAfile", ca] + check + [server])
            #expect(result.status == 0, "openssl verify \(check): \(result.output) \(result.errorOutput)")
            #expect(result.output.contains("OK"))
        }
        // A name that is not in the certificate must fail, or the checks above prove nothing.
        let wrong = try runTool(opensslPath, ["verify", "-CAfile", ca, "-verify_ip", "10.0.0.99", server])
        #expect(wrong.status != 0)
    }

    @Test("the CA is a 10-year P-256 CA named skiff-ca; the server key matches its certificate")
    func certificateProperties() throws {
        let directory = try PKITestDirectory()
        _ = try ClusterPKI.loadOrCreate(directory: directory.url, hosts: [], ipAddresses: [])
        let ca = try runTool(opensslPath, ["x509", "-in", directory.file("tls/ca.crt").path, "-noout", "-text"])
        #expect(ca.output.contains("Subject: CN = skiff-ca"))
        #expect(ca.output.contains("CA:TRUE"))
        #expect(ca.output.contains("prime256v1"))
        #expect(ca.output.contains("Certificate Sign"))
        let endDate = try runTool(
            opensslPath,
            ["x509", "-in", directory.file("tls/ca.crt").path, "-noout", "-checkend", "\(9 * 365 * 86400)"])
        #expect(endDate.status == 0, "the CA must be valid for more than 9 years")

        let server = try runTool(
            opensslPath, ["x509", "-in", directory.file("tls/server.crt").path, "-noout", "-text"])
        #expect(server.output.contains("CA:FALSE"))
        #expect(server.output.contains("TLS Web Server Authentication"))
        let certificateKey = try runTool(
            opensslPath, ["x509", "-in", directory.file("tls/server.crt").path, "-noout", "-pubkey"])
        let privateKey = try runTool(opensslPath, ["pkey", "-in", directory.file("tls/server.key").path, "-pubout"])
        #expect(certificateKey.status == 0 && privateKey.status == 0)
        #expect(certificateKey.output == privateKey.output)
    }

    @Test("the SANs hold the Service names, the hostname, given hosts and IPs, and loopback")
    func subjectAlternativeNamesIncludeInputs() throws {
        let directory = try PKITestDirectory()
        _ = try ClusterPKI.loadOrCreate(
            directory: directory.url, hosts: ["node1.lan", "192.168.1.20"], ipAddresses: ["10.0.0.5", "fd00::5"],
            hostname: "Skiff-Node", now: Date())
        let names = try subjectAlternativeNames(ofCertificateAt: directory.file("tls/server.crt").path)
        for expected in [
            "DNS:localhost", "DNS:kubernetes", "DNS:kubernetes.default", "DNS:kubernetes.default.svc",
            "DNS:kubernetes.default.svc.cluster.local", "DNS:skiff-node", "DNS:node1.lan",
            "IP Address:127.0.0.1", "IP Address:0:0:0:0:0:0:0:1", "IP Address:10.0.0.5",
            "IP Address:FD00:0:0:0:0:0:0:5",
            "IP Address:192.168.1.20",
        ] {
            #expect(names.contains(expected), "missing \(expected) in \(names)")
        }
        #expect(!names.contains("DNS:192.168.1.20"), "an IP given as a host is an IP SAN, not a DNS one")
    }

    @Test("a new node IP re-issues the server certificate from the same CA")
    func reissueOnNewAddress() throws {
        let directory = try PKITestDirectory()
        let first = try ClusterPKI.loadOrCreate(directory: directory.url, hosts: [], ipAddresses: ["10.0.0.5"])
        let second = try ClusterPKI.loadOrCreate(directory: directory.url, hosts: [], ipAddresses: ["10.0.0.6"])
        #expect(second.caCertificatePEM == first.caCertificatePEM)
        #expect(second.serverCertificatePEM != first.serverCertificatePEM)
        #expect(second.serverPrivateKeyPEM != first.serverPrivateKeyPEM)
        let names = try subjectAlternativeNames(ofCertificateAt: directory.file("tls/server.crt").path)
        #expect(names.contains("IP Address:10.0.0.6"))
        let verify = try runTool(
            opensslPath,
            [
                "verify", "-CAfile", directory.file("tls/ca.crt").path, "-verify_ip", "10.0.0.6",
                directory.file("tls/server.crt").path,
            ])
        #expect(verify.status == 0, "\(verify.output) \(verify.errorOutput)")

        // Names already covered do not cause a re-issue: the subset is fine.
        let third = try ClusterPKI.loadOrCreate(directory: directory.url, hosts: [], ipAddresses: [])
        #expect(third.serverCertificatePEM == second.serverCertificatePEM)
    }

    @Test("a server certificate close to expiry is re-issued; the CA is kept")
    func renewsNearExpiry() throws {
        let directory = try PKITestDirectory()
        let now = Date()
        let first = try ClusterPKI.loadOrCreate(
            directory: directory.url, hosts: [], ipAddresses: [], hostname: "node", now: now)
        let stillFresh = try ClusterPKI.loadOrCreate(
            directory: directory.url, hosts: [], ipAddresses: [], hostname: "node", now: now + 200 * 86400)
        #expect(stillFresh.serverCertificatePEM == first.serverCertificatePEM)
        let renewed = try ClusterPKI.loadOrCreate(
            directory: directory.url, hosts: [], ipAddresses: [], hostname: "node", now: now + 300 * 86400)
        #expect(renewed.serverCertificatePEM != first.serverCertificatePEM)
        #expect(renewed.caCertificatePEM == first.caCertificatePEM)
    }

    @Test("a damaged or foreign server certificate is replaced")
    func replacesBadServerCertificate() throws {
        let directory = try PKITestDirectory()
        let first = try ClusterPKI.loadOrCreate(directory: directory.url, hosts: [], ipAddresses: [])
        try "not a certificate".write(to: directory.file("tls/server.crt"), atomically: true, encoding: .utf8)
        let repaired = try ClusterPKI.loadOrCreate(directory: directory.url, hosts: [], ipAddresses: [])
        #expect(repaired.serverCertificatePEM != "not a certificate")
        #expect(repaired.caCertificatePEM == first.caCertificatePEM)

        // A key that does not belong to the certificate (a crash between the two writes).
        let other = try PKITestDirectory()
        let foreign = try ClusterPKI.loadOrCreate(directory: other.url, hosts: [], ipAddresses: [])
        try foreign.serverPrivateKeyPEM.write(to: directory.file("tls/server.key"), atomically: true, encoding: .utf8)
        let rematched = try ClusterPKI.loadOrCreate(directory: directory.url, hosts: [], ipAddresses: [])
        #expect(rematched.serverPrivateKeyPEM != foreign.serverPrivateKeyPEM)
        #expect(rematched.serverCertificatePEM != repaired.serverCertificatePEM)
    }

    @Test("keys are 0600 and the TLS directory 0700; no temporary files are left")
    func fileModes() throws {
        let directory = try PKITestDirectory()
        _ = try ClusterPKI.loadOrCreate(directory: directory.url, hosts: [], ipAddresses: [])
        #expect(try directory.mode("tls/ca.key") == 0o600)
        #expect(try directory.mode("tls/server.key") == 0o600)
        #expect(try directory.mode("tls/ca.crt") == 0o644)
        #expect(try directory.mode("tls") == 0o700)
        let entries = try FileManager.default.contentsOfDirectory(atPath: directory.file("tls").path).sorted()
        #expect(entries == ["ca.crt", "ca.key", "server.crt", "server.key"])
    }

    @Test("a CA certificate without its key is an error naming the missing file, not a new CA")
    func missingAuthorityKey() throws {
        let directory = try PKITestDirectory()
        let first = try ClusterPKI.loadOrCreate(directory: directory.url, hosts: [], ipAddresses: [])
        try FileManager.default.removeItem(at: directory.file("tls/ca.key"))
        let error = #expect(throws: PKIError.self) {
            try ClusterPKI.loadOrCreate(directory: directory.url, hosts: [], ipAddresses: [])
        }
        #expect(error?.description.contains(directory.file("tls/ca.key").path) == true)
        #expect(error?.description.contains("missing") == true)
        #expect(try directory.text("tls/ca.crt") == first.caCertificatePEM)
    }

    @Test("a CA key that is not PEM is an error naming the file")
    func corruptAuthorityKey() throws {
        let directory = try PKITestDirectory()
        _ = try ClusterPKI.loadOrCreate(directory: directory.url, hosts: [], ipAddresses: [])
        try "garbage".write(to: directory.file("tls/ca.key"), atomically: true, encoding: .utf8)
        let error = #expect(throws: PKIError.self) {
            try ClusterPKI.loadOrCreate(directory: directory.url, hosts: [], ipAddresses: [])
        }
        #expect(error?.description.hasPrefix("parsing the CA key \(directory.file("tls/ca.key").path): ") == true)
    }

    @Test("an invalid node IP is rejected with the value quoted")
    func invalidAddress() throws {
        let directory = try PKITestDirectory()
        let error = #expect(throws: PKIError.self) {
            try ClusterPKI.loadOrCreate(directory: directory.url, hosts: [], ipAddresses: ["10.0.0.300"])
        }
        #expect(error?.description.contains("\"10.0.0.300\" is not a valid IP address") == true)
    }

    @Test("the TLS configuration loads the certificate and key and requires TLS 1.2")
    func serverTLSConfiguration() throws {
        let directory = try PKITestDirectory()
        let pki = try ClusterPKI.loadOrCreate(directory: directory.url, hosts: [], ipAddresses: [])
        let configuration = try pki.serverTLSConfiguration()
        #expect(configuration.minimumTLSVersion == .tlsv12)
        #expect(configuration.certificateChain.count == 1)

        let broken = ClusterPKI(
            caCertificatePEM: pki.caCertificatePEM, serverCertificatePEM: "nope",
            serverPrivateKeyPEM: pki.serverPrivateKeyPEM)
        #expect(throws: PKIError.self) { try broken.serverTLSConfiguration() }
    }
}
