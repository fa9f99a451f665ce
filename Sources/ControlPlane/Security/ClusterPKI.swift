import Crypto
import Foundation
import NIOSSL
import X509

/// The cluster's CA and the API server's serving certificate, kept in `DIR/tls/` as
/// k3s keeps them in `server/tls/`.
///
/// The CA is made once and then only ever loaded: every kubeconfig embeds it, so
/// replacing it would lock every client out. The serving certificate is derived from the
/// CA and re-issued freely at start whenever it no longer fits (a new `--node-ip`, a new
/// `--tls-san`, close to expiry, or a key that does not match).
public struct ClusterPKI: Sendable {
    public let caCertificatePEM: String
    public let serverCertificatePEM: String
    public let serverPrivateKeyPEM: String

    /// Loads DIR/tls/{ca.crt,ca.key,server.crt,server.key} or creates them (keys 0600,
    /// every file written atomically). The server certificate is re-issued by the same CA
    /// when `hosts`/`ipAddresses` are not all in its SANs, when it was not issued by this
    /// CA for this key, or when it expires within 90 days.
    ///
    /// SANs: DNS `localhost`, `kubernetes`, `kubernetes.default`, `kubernetes.default.svc`,
    /// `kubernetes.default.svc.cluster.local`, the hostname and `hosts` (IP literals among
    /// them become IP SANs); IPs 127.0.0.1, ::1 and `ipAddresses`.
    public static func loadOrCreate(directory: URL, hosts: [String], ipAddresses: [String]) throws(PKIError)
        -> ClusterPKI
    {
        try loadOrCreate(
            directory: directory, hosts: hosts, ipAddresses: ipAddresses,
            hostname: ServerCertificateNames.currentHostname(), now: Date())
    }

    /// The same, with the clock and hostname supplied (tests age certificates with `now`).
    static func loadOrCreate(
        directory: URL, hosts: [String], ipAddresses: [String], hostname: String?, now: Date
    ) throws(PKIError) -> ClusterPKI {
        let files = Files(directory: directory.appendingPathComponent("tls"))
        try PKIFile.makeDirectory(files.directory, mode: 0o700, step: "creating the TLS directory")
        let names = try ServerCertificateNames(hostname: hostname, hosts: hosts, ipAddresses: ipAddresses)
        let authority = try loadOrCreateAuthority(files, now: now)

        if let current = try loadServer(files, authority: authority, names: names, now: now) {
            return ClusterPKI(
                caCertificatePEM: authority.pem, serverCertificatePEM: current.certificatePEM,
                serverPrivateKeyPEM: current.keyPEM)
        }
        let issued: (certificate: Certificate, key: P256.Signing.PrivateKey)
        do {
            issued = try CertificateIssuer.makeServerCertificate(
                names: names, authority: authority.certificate, authorityKey: authority.key, now: now)
        } catch {
            throw PKIError(step: "issuing the server certificate", message: String(describing: error))
        }
        let certificatePEM = try pem(issued.certificate, step: "encoding the server certificate")
        let keyPEM = issued.key.pemRepresentation + "\n"
        // Key first: a crash between the two writes leaves a key that does not match the
        // old certificate, which the next start detects and re-issues.
        try PKIFile.write(keyPEM, to: files.serverKey, mode: 0o600, step: "writing the server key")
        try PKIFile.write(
            certificatePEM, to: files.serverCertificate, mode: 0o644, step: "writing the server certificate")
        return ClusterPKI(
            caCertificatePEM: authority.pem, serverCertificatePEM: certificatePEM, serverPrivateKeyPEM: keyPEM)
    }

    /// NIOSSL server configuration serving this certificate (TLS 1.2 and later, as
    /// kube-apiserver's default `--tls-min-version`).
    public func serverTLSConfiguration() throws(PKIError) -> TLSConfiguration {
        let certificate: NIOSSLCertificate
        let key: NIOSSLPrivateKey
        do {
            certificate = try NIOSSLCertificate(bytes: Array(serverCertificatePEM.utf8), format: .pem)
        } catch {
            throw PKIError(step: "loading the server certificate into TLS", message: String(describing: error))
        }
        do {
            key = try NIOSSLPrivateKey(bytes: Array(serverPrivateKeyPEM.utf8), format: .pem)
        } catch {
            throw PKIError(step: "loading the server key into TLS", message: String(describing: error))
        }
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: [.certificate(certificate)], privateKey: .privateKey(key))
        configuration.minimumTLSVersion = .tlsv12
        return configuration
    }
}

extension ClusterPKI {
    /// Where each file lives under `DIR/tls`.
    struct Files {
        let directory: URL
        var authorityCertificate: URL { directory.appendingPathComponent("ca.crt") }
        var authorityKey: URL { directory.appendingPathComponent("ca.key") }
        var serverCertificate: URL { directory.appendingPathComponent("server.crt") }
        var serverKey: URL { directory.appendingPathComponent("server.key") }
    }

    struct Authority {
        let certificate: Certificate
        let key: P256.Signing.PrivateKey
        let pem: String
    }

    /// Loads the CA, or makes one when `ca.crt` does not exist yet.
    ///
    /// `ca.crt` is written last, so its presence means a complete CA: a `ca.key` without
    /// it is the leftover of an interrupted first start and is replaced. A `ca.crt`
    /// without its key, or files that do not parse or match, are an error: silently
    /// making a new CA would break every kubeconfig already handed out.
    static func loadOrCreateAuthority(_ files: Files, now: Date) throws(PKIError) -> Authority {
        if let certificatePEM = try PKIFile.read(files.authorityCertificate, step: "reading the CA certificate") {
            guard let keyPEM = try PKIFile.read(files.authorityKey, step: "reading the CA key") else {
                throw PKIError(
                    step: "reading the CA key", path: files.authorityKey.path,
                    message: "the file is missing but \(files.authorityCertificate.lastPathComponent) exists; "
                        + "restore it, or remove both to make a new CA (every kubeconfig must then be replaced)")
            }
            let certificate = try parseCertificate(
                certificatePEM, step: "parsing the CA certificate", path: files.authorityCertificate.path)
            let key = try parseKey(keyPEM, step: "parsing the CA key", path: files.authorityKey.path)
            guard certificate.publicKey == Certificate.PublicKey(key.publicKey) else {
                throw PKIError(
                    step: "loading the CA", path: files.authorityKey.path,
                    message: "the key does not belong to the certificate in \(files.authorityCertificate.path)")
            }
            return Authority(certificate: certificate, key: key, pem: certificatePEM)
        }
        let made: (certificate: Certificate, key: P256.Signing.PrivateKey)
        do {
            made = try CertificateIssuer.makeAuthority(now: now)
        } catch {
            throw PKIError(step: "creating the cluster CA", message: String(describing: error))
        }
        let certificatePEM = try pem(made.certificate, step: "encoding the CA certificate")
        try PKIFile.write(
            made.key.pemRepresentation + "\n", to: files.authorityKey, mode: 0o600, step: "writing the CA key")
        try PKIFile.write(
            certificatePEM, to: files.authorityCertificate, mode: 0o644, step: "writing the CA certificate")
        return Authority(certificate: made.certificate, key: made.key, pem: certificatePEM)
    }

    /// The existing serving certificate and key when they can keep serving; nil when they
    /// are missing, unreadable as PEM, or no longer fit (they are then re-issued).
    static func loadServer(_ files: Files, authority: Authority, names: ServerCertificateNames, now: Date)
        throws(PKIError) -> (certificatePEM: String, keyPEM: String)?
    {
        guard let certificatePEM = try PKIFile.read(files.serverCertificate, step: "reading the server certificate"),
            let keyPEM = try PKIFile.read(files.serverKey, step: "reading the server key"),
            let certificate = try? Certificate(pemEncoded: certificatePEM),
            let key = try? P256.Signing.PrivateKey(pemRepresentation: keyPEM),
            CertificateIssuer.isUsable(certificate, key: key, authority: authority.certificate, names: names, now: now)
        else { return nil }
        return (certificatePEM, keyPEM)
    }

    static func parseCertificate(_ text: String, step: String, path: String) throws(PKIError) -> Certificate {
        do {
            return try Certificate(pemEncoded: text)
        } catch {
            throw PKIError(step: step, path: path, message: String(describing: error))
        }
    }

    static func parseKey(_ text: String, step: String, path: String) throws(PKIError) -> P256.Signing.PrivateKey {
        do {
            return try P256.Signing.PrivateKey(pemRepresentation: text)
        } catch {
            throw PKIError(step: step, path: path, message: "not a P-256 private key in PEM: \(error)")
        }
    }

    static func pem(_ certificate: Certificate, step: String) throws(PKIError) -> String {
        do {
            return try certificate.serializeAsPEM().pemString + "\n"
        } catch {
            throw PKIError(step: step, message: String(describing: error))
        }
    }
}
