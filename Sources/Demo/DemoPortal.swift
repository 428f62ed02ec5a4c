public import LocalServer

/// Stub until the demo portal lands.
public struct DemoServers: Sendable {
    public let portal: LocalServer
    public let external: LocalServer
    public func stop() { portal.stop(); external.stop() }
}

public enum DemoPortal {
    public static func serve(asOf: String) throws -> DemoServers {
        DemoServers(portal: try LocalServer { _ in .html("<html><body>demo</body></html>") }, external: try LocalServer { _ in .status(404) })
    }
    public static var departmentsCSVPath: String? { nil }
}
