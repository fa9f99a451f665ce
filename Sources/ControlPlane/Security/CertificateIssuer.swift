import Crypto
import Foundation
import SwiftASN1
import X509

/// Makes the cluster CA and the API server's serving certificate, with the lifetimes
/// and extensions k3s uses.
enum CertificateIssuer {
    /// The CA outlives every certificate it signs many times over; replacing it would
    /// invalidate every kubeconfig handed out, so it gets 10 years.
    static let authorityLifetime: TimeInterval = 10 * 365 * 24 * 3600
    /// Serving certificates are cheap to re-issue from the CA at start, so they are short.
    static let serverLifetime: TimeInterval = 365 * 24 * 3600
    /// A serving certificate this close to expiry is re-issued at start (k3s uses 90 days).
    static let renewalWindow: TimeInterval = 90 * 24 * 3600
    /// Backdating `notBefore` tolerates a client whose clock is slightly behind.
    static let clockSkew: TimeInterval = 5 * 60

    static let authorityCommonName = "skiff-ca"
    static let serverCommonName = "kube-apiserver"

    /// A new self-signed P-256 CA.
    static func makeAuthority(now: Date) throws -> (certificate: Certificate, key: P256.Signing.PrivateKey) {
        let key = P256.Signing.PrivateKey()
        let certificateKey = Certificate.PrivateKey(key)
        let name = try DistinguishedName { CommonName(authorityCommonName) }
        let extensions = try Certificate.Extensions {
            Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
            Critical(KeyUsage(digitalSignature: true, keyCertSign: true, cRLSign: true))
            SubjectKeyIdentifier(hash: certificateKey.publicKey)
        }
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: certificateKey.publicKey,
            notValidBefore: now - clockSkew, notValidAfter: now + authorityLifetime,
            issuer: name, subject: name, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: extensions, issuerPrivateKey: certificateKey)
        return (certificate, key)
    }

    /// A new P-256 serving certificate for `names`, signed by the CA.
    static func makeServerCertificate(
        names: ServerCertificateNames, authority: Certificate, authorityKey: P256.Signing.PrivateKey, now: Date
    ) throws -> (certificate: Certificate, key: P256.Signing.PrivateKey) {
        let key = P256.Signing.PrivateKey()
        let publicKey = Certificate.PublicKey(key.publicKey)
        let authorityKeyIdentifier =
            (try? authority.extensions.subjectKeyIdentifier)?.keyIdentifier
            ?? SubjectKeyIdentifier(hash: authority.publicKey).keyIdentifier
        let extensions = try Certificate.Extensions {
            Critical(BasicConstraints.notCertificateAuthority)
            Critical(KeyUsage(digitalSignature: true, keyEncipherment: true))
            try ExtendedKeyUsage([.serverAuth])
            AuthorityKeyIdentifier(keyIdentifier: authorityKeyIdentifier)
            names.subjectAlternativeNames
        }
        // Never valid past the CA itself: Go rejects such a chain only at that point, but
        // a certificate that outlives its issuer says something false.
        let notAfter = min(now + serverLifetime, authority.notValidAfter)
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: publicKey,
            notValidBefore: now - clockSkew, notValidAfter: notAfter,
            issuer: authority.subject, subject: try DistinguishedName { CommonName(serverCommonName) },
            signatureAlgorithm: .ecdsaWithSHA256, extensions: extensions,
            issuerPrivateKey: Certificate.PrivateKey(authorityKey))
        return (certificate, key)
    }

    /// Whether `certificate` can keep serving: signed by this CA for this key, covering
    /// `names`, and not inside the renewal window.
    static func isUsable(
        _ certificate: Certificate, key: P256.Signing.PrivateKey, authority: Certificate,
        names: ServerCertificateNames, now: Date
    ) -> Bool {
        certificate.publicKey == Certificate.PublicKey(key.publicKey)
            && certificate.issuer == authority.subject
            && authority.publicKey.isValidSignature(certificate.signature, for: certificate)
            && ServerCertificateNames(certificate: certificate).covers(names)
            && certificate.notValidAfter.timeIntervalSince(now) > renewalWindow
    }
}
