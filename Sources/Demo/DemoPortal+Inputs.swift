package import Foundation

/// The demo's content registries, beside departments.csv in the bundle (not served):
/// `phones.csv` (--phones), `wording.csv` (--wording) and `accounts.csv` (--accounts),
/// whose feed URLs name the demo's servers as `{{base}}` and `{{ext}}`.
package struct DemoInputs: Sendable {
    package var phones: String
    package var wording: String
    package var accounts: String
}

extension DemoPortal {
    /// The three files, accounts.csv written to `directory` with the servers' addresses in.
    package static func contentInputs(servers: DemoServers, directory: URL) throws -> DemoInputs {
        try contentInputs(portalBase: servers.portal.baseURL, externalBase: servers.external.baseURL, directory: directory)
    }

    /// The same, for the portal and the external stand-in at these addresses.
    package static func contentInputs(portalBase: String, externalBase: String, directory: URL) throws -> DemoInputs {
        guard let root = portalRoot else { throw CocoaError(.fileNoSuchFile) }
        let accounts = try String(contentsOf: root.appendingPathComponent("accounts.csv"), encoding: .utf8)
            .replacingOccurrences(of: "{{base}}", with: portalBase)
            .replacingOccurrences(of: "{{ext}}", with: externalBase)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let written = directory.appendingPathComponent("accounts.csv")
        try accounts.write(to: written, atomically: true, encoding: .utf8)
        return DemoInputs(
            phones: root.appendingPathComponent("phones.csv").path,
            wording: root.appendingPathComponent("wording.csv").path, accounts: written.path)
    }
}
