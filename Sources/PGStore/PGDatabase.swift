#if PostgreSQL  // the whole file: Package.swift, trait PostgreSQL
import Foundation
package import Logging
package import PostgresNIO
import Synchronization

/// A PostgreSQL database opened from a `postgres://` URL: a few pooled connections on
/// postgres-nio's event loop, transactions, and reconnection with backoff when a server
/// that answered once goes away (a restart during a round). Named PGDatabase, not
/// PostgresDatabase: postgres-nio exports a protocol of that name, and a module importing
/// both would find the name ambiguous.
///
/// Two ways in: `withConnection`/`transaction` take async bodies (the fleet's commands);
/// `withConnectionBlocking`/`transactionBlocking` take synchronous ones that wait on
/// postgres-nio's futures (the store's capabilities are synchronous). The blocking ones
/// never run on an event loop thread and never wait for a Swift task, so a cooperative
/// thread blocked in them cannot starve the work it waits for.
package final class PGDatabase: Sendable {
    package let location: PGLocation
    package let logger: Logger
    /// How long to keep trying after a connection that worked is lost: a restarting server
    /// takes a few seconds. A server that never answered is reported at once.
    package let retryWindow: Duration
    /// Called after each call that the database answered (a fleet worker's heartbeat takes
    /// it for a sign that the sweep is alive).
    package let activity: (@Sendable () -> Void)?
    /// Tests: runs before each call (one that never returns makes a stalled sweep).
    private let beforeCall = Mutex<(@Sendable () -> Void)?>(nil)
    package func setBeforeCall(_ hook: (@Sendable () -> Void)?) { beforeCall.withLock { $0 = hook } }
    private let configuration: PostgresConnection.Configuration
    private let state = Mutex(State())

    private struct State {
        var idle: [PostgresConnection] = []
        var nextID = 1
        var everConnected = false
        var closed = false
    }

    /// Connections kept open between uses (the store's writer, readers and the run lock use
    /// a few at once; more are opened when needed and closed when given back).
    static let maxIdle = 8

    /// Opens `url` (`postgres://user@host[:port]/db`). No connection is made yet: the
    /// first use connects and reports an unreachable server, a refused password or a
    /// missing database in one line.
    package convenience init(
        url: String, logger: Logger = Logger(label: "govsweep.postgres"), retryWindow: Duration = .seconds(30),
        activity: (@Sendable () -> Void)? = nil
    ) throws {
        try self.init(location: PGLocation(url: url), logger: logger, retryWindow: retryWindow, activity: activity)
    }

    /// `searchPath`: the schema(s) the connections work in (tests and benchmarks keep each
    /// database in a schema of its own); nil: the server's default (`public`).
    package init(
        location: PGLocation, logger: Logger = Logger(label: "govsweep.postgres"), retryWindow: Duration = .seconds(30),
        searchPath: String? = nil, activity: (@Sendable () -> Void)? = nil
    ) {
        self.location = location
        self.activity = activity
        var logger = logger
        logger[metadataKey: "store"] = "\(location)"
        self.logger = logger
        self.retryWindow = retryWindow
        var configuration = PostgresConnection.Configuration(
            host: location.host, port: location.port, username: location.user, password: location.password(),
            database: location.database, tls: .disable)
        configuration.options.connectTimeout = .seconds(10)
        if let searchPath { configuration.options.additionalStartupParameters = [("search_path", searchPath)] }
        self.configuration = configuration
    }

    /// Closes the idle connections; later uses fail.
    package func close() {
        let idle = state.withLock { s in
            s.closed = true
            defer { s.idle = [] }
            return s.idle
        }
        for c in idle { _ = try? PGDatabase.answer(c.close(), on: c, deadline: .seconds(5)).wait() }
    }

    deinit {
        for c in state.withLock({ $0.idle }) { c.closeSoon() }
    }

    // MARK: async

    /// Runs `body` with a connection of the pool. When the connection is lost (the server
    /// restarted), the body runs again on a new one, for up to `retryWindow`: bodies must
    /// be safe to repeat (a transaction that did not commit is). The body has
    /// `statementDeadline` for its answers, and fails (a connection loss) when its connection
    /// is found closed while it waits.
    package func withConnection<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        var attempt = 0
        let deadline = ContinuousClock.now + retryWindow
        while true {
            do {
                beforeCall.withLock { $0 }?()
                let c = try await lease()
                do {
                    let value = try await Self.bounded(on: c, deadline: Self.statementDeadline, body)
                    giveBack(c)
                    activity?()
                    return value
                } catch {
                    giveBack(c, after: error)
                    throw error
                }
            } catch {
                guard retrying(error, attempt: &attempt, deadline: deadline) else { throw describe(error) }
                try await Task.sleep(for: Self.backoff(attempt))
            }
        }
    }

    /// `body` inside BEGIN … COMMIT, rolled back when it throws.
    @discardableResult
    package func transaction<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        try await withConnection { [logger] c in
            try await c.query("BEGIN", logger: logger)
            do {
                let value = try await body(c)
                try await c.query("COMMIT", logger: logger)
                return value
            } catch {
                if !c.isClosed { _ = try? await c.query("ROLLBACK", logger: logger) }
                throw error
            }
        }
    }

    // MARK: blocking

    /// `withConnection` for synchronous callers: `body` runs on the calling thread and
    /// waits on the connection's futures (`PostgresConnection.run`, each with a deadline).
    /// Never call it on an event loop thread.
    @discardableResult
    package func withConnectionBlocking<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        var attempt = 0
        let deadline = ContinuousClock.now + retryWindow
        while true {
            do {
                beforeCall.withLock { $0 }?()
                let c = try leaseBlocking()
                do {
                    let value = try body(c)
                    giveBack(c)
                    activity?()
                    return value
                } catch {
                    giveBack(c, after: error)
                    throw error
                }
            } catch {
                guard retrying(error, attempt: &attempt, deadline: deadline) else { throw describe(error) }
                Thread.sleep(forTimeInterval: Self.seconds(Self.backoff(attempt)))
            }
        }
    }

    /// `transaction` for synchronous callers.
    @discardableResult
    package func transactionBlocking<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        try withConnectionBlocking { c in
            try c.run("BEGIN", logger: logger)
            do {
                let value = try body(c)
                try c.run("COMMIT", logger: logger)
                return value
            } catch {
                if !c.isClosed { _ = try? c.run("ROLLBACK", logger: logger) }
                throw error
            }
        }
    }

    /// A connection of its own, outside the pool (a session advisory lock lives as long as
    /// its connection). The caller closes it.
    /// Tried again while a server that answered before restarts, as `withConnectionBlocking`.
    package func dedicatedConnectionBlocking() throws -> PostgresConnection {
        var attempt = 0
        let deadline = ContinuousClock.now + retryWindow
        while true {
            do { return try leaseBlocking(fromPool: false) } catch {
                guard retrying(error, attempt: &attempt, deadline: deadline) else { throw describe(error) }
                Thread.sleep(forTimeInterval: Self.seconds(Self.backoff(attempt)))
            }
        }
    }

    // MARK: the pool

    private func takeIdle() throws -> (PostgresConnection?, Int) {
        try state.withLock { s in
            if s.closed { throw PGStoreError(.query, "\(location): the store is closed") }
            while let c = s.idle.popLast() {
                if !c.isClosed { return (c, 0) }
            }
            defer { s.nextID += 1 }
            return (nil, s.nextID)
        }
    }

    private func lease() async throws -> PostgresConnection {
        let (idle, id) = try takeIdle()
        if let idle { return idle }
        let c = try await PostgresConnection.connect(
            on: PostgresConnection.defaultEventLoopGroup.any(), configuration: configuration, id: id, logger: logger)
        state.withLock { $0.everConnected = true }
        return c
    }

    private func leaseBlocking(fromPool: Bool = true) throws -> PostgresConnection {
        let (idle, id) = try takeIdle()
        if let idle {
            if fromPool { return idle }
            giveBack(idle)
        }
        let c = try PostgresConnection.connect(
            on: PostgresConnection.defaultEventLoopGroup.any(), configuration: configuration, id: id, logger: logger
        ).wait()
        state.withLock { $0.everConnected = true }
        return c
    }

    private func giveBack(_ c: PostgresConnection, after error: (any Error)? = nil) {
        if let error, Self.isConnectionLoss(error) {
            c.closeSoon()
            return
        }
        let keep = state.withLock { s in
            guard !s.closed, !c.isClosed, s.idle.count < Self.maxIdle else { return false }
            s.idle.append(c)
            return true
        }
        if !keep { c.closeSoon() }
    }

    /// Whether to try again after `error`: only a lost connection, only once the server has
    /// answered (a wrong host fails at once), and only within the window.
    private func retrying(_ error: any Error, attempt: inout Int, deadline: ContinuousClock.Instant) -> Bool {
        guard Self.isConnectionLoss(error), state.withLock({ $0.everConnected && !$0.closed }), ContinuousClock.now < deadline else {
            return false
        }
        attempt += 1
        logger.warning(
            "lost the database connection; trying again",
            metadata: ["attempt": "\(attempt)", "reason": "\(describe(error))"])
        // Every idle connection went with the server.
        let idle = state.withLock { s in
            defer { s.idle = [] }
            return s.idle
        }
        for c in idle { c.closeSoon() }
        return true
    }

    /// 0.25 s doubling to 4 s: a restart is usually over within a few seconds, and the
    /// window (30 s) allows about ten tries.
    static func backoff(_ attempt: Int) -> Duration {
        .milliseconds(min(4000, 250 << min(attempt - 1, 4)))
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    // MARK: errors

    /// The server or the connection went away (as against a statement that failed).
    static func isConnectionLoss(_ error: any Error) -> Bool {
        if let e = error as? PSQLError {
            switch e.code {
            case .connectionError, .serverClosedConnection, .uncleanShutdown, .clientClosedConnection:
                return true
            case .server:
                // admin_shutdown, crash_shutdown, cannot_connect_now (starting up, shutting down)
                let state = e.serverInfo?[.sqlState] ?? ""
                return ["57P01", "57P02", "57P03"].contains(state)
            default:
                return false
            }
        }
        if error is StatementAbandoned { return true }
        // (The prepared path, `runPrepared`, reports postgres-nio's older error type.)
        if let e = error as? PostgresError {
            switch e {
            case .connectionClosed: return true
            case .server(let m): return ["57P01", "57P02", "57P03"].contains(m.fields[.sqlState] ?? "")
            case .protocol: return false
            }
        }
        if let e = error as? ChannelError {
            switch e {
            case .ioOnClosedChannel, .alreadyClosed, .eof, .connectTimeout: return true
            default: return false
            }
        }
        return error is IOError || error is NIOConnectionError
    }

    /// `error` in one line naming the store: a `PGStoreError` for postgres-nio's errors, any
    /// other error as it is.
    package func describe(_ error: any Error) -> any Error {
        Self.describe(error, location: location)
    }

    static func describe(_ error: any Error, location: PGLocation) -> any Error {
        if error is PGStoreError { return error }
        if let e = error as? StatementAbandoned {
            switch e.why {
            case .closed:
                return PGStoreError(.unreachable, "\(location): the connection to the database server at \(location.hostPort) was lost")
            case .deadline(let d):
                return PGStoreError(
                    .unreachable, "\(location): the database server at \(location.hostPort) did not answer within \(Int(seconds(d))) s")
            }
        }
        let user = location.user
        if let e = error as? PostgresError, case .server(let m) = e, !isConnectionLoss(error) {
            let message = (m.fields[.message] ?? "server error").split(separator: "\n").first.map(String.init) ?? ""
            return PGStoreError(.query, "\(location): \(message) (SQLSTATE \(m.fields[.sqlState] ?? "?"))")
        }
        guard let e = error as? PSQLError else {
            if isConnectionLoss(error) {
                return PGStoreError(.unreachable, "\(location): cannot reach the database server at \(location.hostPort) (\(shortText(error)))")
            }
            return error
        }
        switch e.code {
        case .connectionError:
            return PGStoreError(
                .unreachable, "\(location): cannot reach the database server at \(location.hostPort) (\(e.underlying.map(shortText) ?? "connection failed"))")
        case .serverClosedConnection, .uncleanShutdown, .clientClosedConnection:
            return PGStoreError(.unreachable, "\(location): the database server at \(location.hostPort) closed the connection")
        case .authMechanismRequiresPassword:
            return PGStoreError(
                .authentication, "\(location): the server asks a password for user \"\(user)\" and none was found (set PGPASSWORD or add a line to ~/.pgpass)")
        case .unsupportedAuthMechanism, .saslError:
            return PGStoreError(.authentication, "\(location): authentication of user \"\(user)\" failed (\(e.code))")
        case .server:
            let state = e.serverInfo?[.sqlState] ?? ""
            let message = (e.serverInfo?[.message] ?? "server error").split(separator: "\n").first.map(String.init) ?? ""
            switch state {
            case "28P01":
                return PGStoreError(.authentication, "\(location): password authentication failed for user \"\(user)\" (check PGPASSWORD or ~/.pgpass)")
            case "28000":
                return PGStoreError(.authentication, "\(location): the server refused user \"\(user)\": \(message)")
            case "3D000":
                return PGStoreError(
                    .noDatabase,
                    "\(location): database \"\(location.database)\" does not exist at \(location.hostPort) (create it first: createdb \(location.database))")
            case "57P01", "57P02", "57P03":
                return PGStoreError(.unreachable, "\(location): the database server at \(location.hostPort) is not available: \(message)")
            default:
                return PGStoreError(.query, "\(location): \(message) (SQLSTATE \(state))")
            }
        default:
            return PGStoreError(.query, "\(location): \(e.code)")
        }
    }

    /// An I/O error's reason without NIO's decorations ("connection refused").
    static func shortText(_ error: any Error) -> String {
        if let io = error as? IOError { return String(cString: strerror(io.errnoCode)).lowercased() }
        if let c = error as? NIOConnectionError {
            if let first = c.connectionErrors.first { return shortText(first.error) }
            if let dns = c.dnsAError ?? c.dnsAAAAError { return "no such host: \(shortText(dns))" }
        }
        if let e = error as? ChannelError, case .connectTimeout = e { return "timed out" }
        return "\(error)".split(separator: "\n").first.map(String.init) ?? "\(error)"
    }
}

extension PostgresConnection {
    /// Runs `query` and waits for all its rows (the blocking path; never on an event loop),
    /// at most `deadline`; on a connection found closed it fails at once (a connection loss):
    /// postgres-nio would never answer it (see `Answer`).
    @discardableResult
    package func run(_ query: PostgresQuery, logger: Logger, deadline: Duration = PGDatabase.statementDeadline) throws -> PostgresQueryResult {
        guard !isClosed else { throw StatementAbandoned(why: .closed) }
        return try PGDatabase.answer(self.query(query, logger: logger), on: self, deadline: deadline).wait()
    }
}

extension PostgresConnection {
    /// Runs `sql` as a statement prepared once on this connection (`PreparedStatements`) with
    /// `binds` (a `Params(prepared: true)`'s; every parameter's type cast in `sql`, the server
    /// infers them from there) and waits for its rows as `run` does. Outside a transaction: a
    /// statement the server no longer has (a pooler in between) is prepared again, once.
    /// Its rows decode right only as text columns (`id::text`): postgres-nio 1.33's
    /// `PreparedQuery` keeps the formats of the statement's Describe (text) for rows that come
    /// in binary (`ExtendedQueryStateMachine.rowDescriptionReceived` hands the description on
    /// unmapped), and a text column's bytes are the same in both.
    @discardableResult
    func runPrepared(
        _ sql: String, _ binds: [PostgresData], logger: Logger, deadline: Duration = PGDatabase.statementDeadline
    ) throws
        -> [PostgresRow]
    {
        var again = true
        while true {
            guard !isClosed else { throw StatementAbandoned(why: .closed) }
            do {
                let statement = try PreparedStatements.shared.statement(sql, on: self, deadline: deadline)
                return try PGDatabase.answer(statement.execute(binds), on: self, deadline: deadline).wait()
            } catch PostgresError.connectionClosed {
                throw StatementAbandoned(why: .closed)
            } catch PostgresError.server(let e) where again && e.fields[.sqlState] == "26000" {
                PreparedStatements.shared.forget(self)
                again = false
            }
        }
    }
}

extension PostgresConnection {
    /// Runs `statement` prepared once on this connection by postgres-nio (by its name; rows in
    /// binary, as an unprepared statement's) and waits for its rows as `run` does.
    func runPrepared<S: PostgresPreparedStatement>(
        _ statement: S, logger: Logger, deadline: Duration = PGDatabase.statementDeadline
    ) throws -> [S.Row] where S.Row: Sendable {
        guard !isClosed else { throw StatementAbandoned(why: .closed) }
        let rows = eventLoop.makeFutureWithTask { [self] in
            var rows: [S.Row] = []
            for try await row in try await self.execute(statement, logger: logger) { rows.append(row) }
            return rows
        }
        return try PGDatabase.answer(rows, on: self, deadline: deadline).wait()
    }
}

/// A statement run a few times a site (a run's record, the findings' first-seen, a fleet
/// job's claim and end): prepared once a connection, as `Text.sql` with the bindings given,
/// its rows as they come (the caller decodes them). Parsed and planned at every call, these
/// were about 8% of the server's CPU in a fleet round (`fleet.sh --pg-stats`: the runs' reads
/// 0.1-0.2 ms of planning a call; a claim's candidates 0.4 ms).
package struct StoreStatement<Text: StoreSQL>: PostgresPreparedStatement {
    /// The text's full type name (postgres-nio's default for a statement type): two modules'
    /// texts of the same short name are two statements.
    package static var name: String { String(reflecting: Text.self) }
    package static var sql: String { Text.sql }
    package typealias Row = PostgresRow
    var bindings: PostgresBindings
    package init(_ binds: any PostgresDynamicTypeEncodable...) { self.init(binds: binds) }
    package init(binds: [any PostgresDynamicTypeEncodable]) {
        bindings = PostgresBindings()
        for b in binds { bindings.append(b) }
    }
    /// With bindings made by the caller (NULLs among them: an optional is no
    /// `PostgresDynamicTypeEncodable`).
    package init(bindings: PostgresBindings) { self.bindings = bindings }
    package func makeBindings() throws -> PostgresBindings { bindings }
    package func decodeRow(_ row: PostgresRow) throws -> PostgresRow { row }
}

/// The text of a `StoreStatement` (one type a statement: postgres-nio names it by the type).
package protocol StoreSQL: Sendable { static var sql: String { get } }

/// The statements prepared on each open connection, by their SQL. The store's batch writes
/// run the same few statements hundreds of times a round; prepared once a connection, the
/// server parses, analyses and plans each once, not at every call (parsing, analysis and
/// planning were 28% of the server's CPU in a round: Benchmarks/README.md, "Fleet rounds").
/// A `PreparedQuery` holds its connection, so a connection here is never freed (nor its
/// identifier reused) while it is here; a closed connection's statements go at the next
/// preparation.
package final class PreparedStatements: Sendable {
    package static let shared = PreparedStatements()
    private struct Entry {
        let connection: PostgresConnection
        var statements: [String: PreparedQuery]
    }
    private let table = Mutex<[ObjectIdentifier: Entry]>([:])
    private let preparations = Atomic<Int>(0)

    /// How many statements were prepared so far (tests).
    package var prepared: Int { preparations.load(ordering: .relaxed) }

    func statement(_ sql: String, on c: PostgresConnection, deadline: Duration) throws -> PreparedQuery {
        let id = ObjectIdentifier(c)
        if let known = table.withLock({ $0[id]?.statements[sql] }) { return known }
        let statement = try PGDatabase.answer(c.prepare(query: sql), on: c, deadline: deadline).wait()
        preparations.add(1, ordering: .relaxed)
        table.withLock { t in
            t = t.filter { !$0.value.connection.isClosed }
            t[id, default: Entry(connection: c, statements: [:])].statements[sql] = statement
        }
        return statement
    }

    /// Forgets `c`'s statements (the server no longer has them).
    func forget(_ c: PostgresConnection) { _ = table.withLock { $0.removeValue(forKey: ObjectIdentifier(c)) } }
}

extension PostgresConnection {
    /// Closes the connection without waiting (a lost one, or one the pool does not keep).
    /// (The connection is kept until it is closed: postgres-nio asserts that one is closed
    /// before it goes.)
    func closeSoon() {
        let closed: EventLoopFuture<Void> = close()
        closed.whenComplete { _ in withExtendedLifetime(self) {} }
    }
}
#endif
