public import LocalServer

/// The bundled demo district portal, served in-process on 127.0.0.1.
/// (Stub: filled in by the Demo work item.)
public enum DemoPortal {
    /// Starts serving the portal and returns the server (its `baseURL` is the start URL).
    public static func serve() throws -> LocalServer {
        try LocalServer { _ in .status(404) }
    }
}
