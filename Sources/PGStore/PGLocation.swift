import Foundation

/// Where a PostgreSQL store is: `postgres://user@host[:port]/db` (or `postgresql://`). The
/// password comes from `PGPASSWORD` or the password file (`PGPASSFILE`, else `~/.pgpass`),
/// never from a command line; one written in the URL is taken but never printed.
package struct PGLocation: Sendable, Equatable, CustomStringConvertible {
    package var host: String
    package var port: Int
    package var user: String
    package var database: String
    /// The password written in the URL, if any (prefer PGPASSWORD or ~/.pgpass).
    var urlPassword: String?

    /// The environment variable that names the store when `--store` is not given.
    package static let environmentVariable = "GOVSWEEP_STORE"

    /// True for the URLs this store opens (`postgres://`, `postgresql://`): anything else
    /// given as `--store` is a SQLite file.
    package static func isPostgresURL(_ text: String) -> Bool {
        let lower = text.lowercased()
        return lower.hasPrefix("postgres://") || lower.hasPrefix("postgresql://")
    }

    /// Parses the URL; errors are one line and never repeat a password.
    package init(url: String) throws {
        guard Self.isPostgresURL(url), let c = URLComponents(string: url) else {
            throw PGStoreError(.badURL, "\(Self.redact(url)): not a PostgreSQL URL (expected postgres://user@host[:port]/database)")
        }
        let shown = Self.redact(url)
        guard let host = c.host, !host.isEmpty else {
            throw PGStoreError(.badURL, "\(shown): no host (expected postgres://user@host[:port]/database)")
        }
        let database = String(c.path.drop { $0 == "/" })
        guard !database.isEmpty, !database.contains("/") else {
            throw PGStoreError(.badURL, "\(shown): no database name (expected postgres://user@host[:port]/database)")
        }
        if let query = c.query, !query.isEmpty {
            throw PGStoreError(.badURL, "\(shown): parameters (?\(query)) are not supported; the connection is plain TCP")
        }
        // (URLComponents' user, password and path are percent-decoded already.)
        let user = c.user.flatMap { $0.isEmpty ? nil : $0 }
        guard let user = user ?? ProcessInfo.processInfo.environment["PGUSER"] else {
            throw PGStoreError(.badURL, "\(shown): no user (expected postgres://user@host[:port]/database)")
        }
        // (URLComponents keeps the brackets of an IPv6 literal.)
        self.host = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        self.port = c.port ?? 5432
        self.user = user
        self.database = database
        self.urlPassword = c.password
    }

    /// `postgres://user@host:port/db`: what logs and errors print (never a password).
    package var description: String { "postgres://\(user)@\(hostPort)/\(database)" }

    /// `host:port`, as the unreachable error names it.
    package var hostPort: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    /// The password to send: the URL's, else `PGPASSWORD`, else the first matching line of
    /// the password file; nil when none applies (the server may not ask).
    func password(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let p = urlPassword { return p }
        if let p = environment["PGPASSWORD"], !p.isEmpty { return p }
        let file: String
        if let f = environment["PGPASSFILE"], !f.isEmpty {
            file = f
        } else {
            let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
            file = home + "/.pgpass"
        }
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { return nil }
        // As libpq: a file others can read is ignored.
        if let mode = (try? FileManager.default.attributesOfItem(atPath: file))?[.posixPermissions] as? Int, mode & 0o077 != 0 {
            return nil
        }
        return PGPassFile.lookup(text, host: host, port: port, database: database, user: user)
    }

    /// `url` with any password replaced by `***` (for messages about a URL that did not parse).
    package static func redact(_ url: String) -> String {
        guard let scheme = url.range(of: "://") else { return url }
        let rest = url[scheme.upperBound...]
        let authorityEnd = rest.firstIndex(of: "/") ?? rest.endIndex
        guard let at = rest[..<authorityEnd].lastIndex(of: "@") else { return url }
        let userInfo = rest[..<at]
        guard let colon = userInfo.firstIndex(of: ":") else { return url }
        return String(url[..<colon]) + ":***" + String(url[at...])
    }
}

/// The standard password file: `hostname:port:database:username:password` a line, `*`
/// matching anything in the first four fields, `\:` and `\\` escaped, `#` comments; the
/// first matching line wins.
enum PGPassFile {
    static func lookup(_ text: String, host: String, port: Int, database: String, user: String) -> String? {
        for raw in text.split(whereSeparator: \.isNewline) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = split(line)
            guard fields.count == 5 else { continue }
            let wanted = [host, String(port), database, user]
            if zip(fields, wanted).allSatisfy({ $0 == "*" || $0 == $1 }) { return fields[4] }
        }
        return nil
    }

    /// The line's fields, unescaped.
    static func split(_ line: String) -> [String] {
        var fields: [String] = []
        var current = ""
        var escaped = false
        for ch in line {
            if escaped {
                current.append(ch)
                escaped = false
            } else if ch == "\\" {
                escaped = true
            } else if ch == ":" && fields.count < 4 {
                fields.append(current)
                current = ""
            } else {
                current.append(ch)
            }
        }
        fields.append(current)
        return fields
    }
}

/// The password sources, for the tests (package: not part of the store's API).
package enum PGLocationTesting {
    package static func lookup(_ text: String, host: String, port: Int, database: String, user: String) -> String? {
        PGPassFile.lookup(text, host: host, port: port, database: database, user: user)
    }

    package static func password(_ location: PGLocation, _ environment: [String: String]) -> String? {
        location.password(environment: environment)
    }

    /// The location with a password, as if written in the URL.
    package static func withPassword(_ location: PGLocation, _ password: String) -> PGLocation {
        var l = location
        l.urlPassword = password
        return l
    }
}
