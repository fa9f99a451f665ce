import SkiffAPI

/// `GET /version`: the API server's build, as `version` prints it (`Server Version: v1.32.0`).
public enum ServerVersion {
    public static func fetch(_ session: KubeSession) async throws(CtlError) -> String {
        let reply = try await session.request("GET", "/version")
        return reply["gitVersion"].stringValue ?? "v\(reply["major"].stringValue ?? "").\(reply["minor"].stringValue ?? "")"
    }
}
