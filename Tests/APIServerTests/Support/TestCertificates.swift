/// A self-signed CA that has nothing to do with any server under test, for
/// checking that clients really verify the server against the kubeconfig's CA.
enum TestCertificates {
    static let unrelatedCA = """
        -----BEGIN CERTIFICATE-----
        MIIBfjCCASOgAwIBAgIUEtBmRx1L0eG5ugOSVYEMx8/VYhwwCgYIKoZIzj0EAwIw
        FDESMBAGA1UEAwwJdW5yZWxhdGVkMB4XDTI2MTEyODAxNTk0NFoXDTM2MTEyNTAx
        NTk0NFowFDESMBAGA1UEAwwJdW5yZWxhdGVkMFkwEwYHKoZIzj0CAQYIKoZIzj0D
        AQcDQgAE3i48L5tWlD1yd+ljcPlsrk4a4Q8CEiAZnp51m1RaIvjs3THK800AugBQ
        UdCMsaUO8JMmdKFL0QwA2PJeVKy0gKNTMFEwHQYDVR0OBBYEFACztaP7bv1H8GwK
        12ZcegiK4GGHMB8GA1UdIwQYMBaAFACztaP7bv1H8GwK12ZcegiK4GGHMA8GA1Ud
        EwEB/wQFMAMBAf8wCgYIKoZIzj0EAwIDSQAwRgIhAOElEDH0k0hK3KYA2KHbm//X
        1WKEfF/HiBuGfWOyeGSPAiEA0Nr0blgxbrheWo3Pax/3c9HPjrckn4HZVqPpT4Zg
        5Nw=
        -----END CERTIFICATE-----

        """
}
