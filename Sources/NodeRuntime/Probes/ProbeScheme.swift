/// `httpGet.scheme`.
package enum ProbeScheme: String, Sendable {
    case http = "HTTP"
    case https = "HTTPS"
}
