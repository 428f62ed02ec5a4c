#if PostgreSQL  // the whole file: Package.swift, trait PostgreSQL
import Dispatch
import Foundation
import NIOCore
import PostgresNIO
import Synchronization

/// Why a statement was given up on without its answer (a connection loss, so the pooled
/// callers try again on a new connection within their window).
struct StatementAbandoned: Error, Sendable {
    enum Why: Sendable {
        /// The connection was closed before the statement was sent, or while it waited.
        case closed
        /// No answer within the deadline (the connection is closed then).
        case deadline(Duration)
    }
    let why: Why
}

/// A statement's answer, from whichever comes first: the statement itself, the connection
/// found closed, or the deadline. Why: postgres-nio (1.33) writes a query to its channel with
/// no promise for the write; on a channel already closed (a database restart cut it, its
/// handlers gone) the write fails where nobody hears it and the query's future never
/// completes (vapor/postgres-nio#487, reverted in #501). A `.wait()` on it blocked a thread
/// for good: the fleet worker hung after a restart (FleetRoundTests' restart test, 1 run in 15).
final class Answer<T: Sendable>: Sendable {
    private struct State {
        var result: Result<T, any Error>?
        var waiter: CheckedContinuation<T, any Error>?
        /// The connection was seen closed at the last check (twice in a row: given up).
        var closedSeen = false
    }
    private let state = Mutex(State())
    private let ready = DispatchSemaphore(value: 0)

    /// The first result wins; false for a later one.
    @discardableResult
    func settle(_ result: Result<T, any Error>) -> Bool {
        let (first, waiter) = state.withLock { s -> (Bool, CheckedContinuation<T, any Error>?) in
            guard s.result == nil else { return (false, nil) }
            s.result = result
            defer { s.waiter = nil }
            return (true, s.waiter)
        }
        guard first else { return false }
        ready.signal()
        waiter?.resume(with: result)
        return true
    }

    var isSettled: Bool { state.withLock { $0.result != nil } }

    /// Watches `connection` every second until the answer is in: closed at two checks in a row
    /// (a statement the closed connection still held fails by itself in between), or past
    /// `deadline`, the answer is a `StatementAbandoned` and `abandoned` runs.
    func watch(_ connection: PostgresConnection, deadline: Duration, abandoned: @escaping @Sendable () -> Void) {
        let end = NIODeadline.now() + TimeAmount.nanoseconds(Int64(PGDatabase.seconds(deadline) * 1e9))
        tick(connection, end: end, deadline: deadline, abandoned: abandoned)
    }

    private func tick(_ c: PostgresConnection, end: NIODeadline, deadline: Duration, abandoned: @escaping @Sendable () -> Void) {
        c.eventLoop.scheduleTask(in: .seconds(1)) { [self] in
            guard !isSettled else { return }
            let closedTwice = state.withLock { s in
                defer { s.closedSeen = c.isClosed }
                return s.closedSeen && c.isClosed
            }
            if closedTwice {
                if settle(.failure(StatementAbandoned(why: .closed))) { abandoned() }
            } else if NIODeadline.now() >= end {
                if settle(.failure(StatementAbandoned(why: .deadline(deadline)))) { abandoned() }
            } else {
                tick(c, end: end, deadline: deadline, abandoned: abandoned)
            }
        }
    }

    /// Blocks the calling thread until the answer is in (never on an event loop).
    func wait() throws -> T {
        ready.wait()
        guard let result = state.withLock({ $0.result }) else { throw StatementAbandoned(why: .closed) }
        return try result.get()
    }

    /// Suspends until the answer is in.
    var value: T {
        get async throws {
            try await withCheckedThrowingContinuation { (c: CheckedContinuation<T, any Error>) in
                let now = state.withLock { s -> Result<T, any Error>? in
                    if s.result == nil { s.waiter = c }
                    return s.result
                }
                if let now { c.resume(with: now) }
            }
        }
    }
}

extension PGDatabase {
    /// The longest a statement (or an async body's whole transaction) may wait for its answer.
    package static let statementDeadline: Duration = .seconds(60)

    /// Futures given up on, kept: their promises were never completed, and a debug build's
    /// swift-nio traps when an unfulfilled promise is freed. One small object per statement
    /// given up on.
    static let abandoned = Mutex<[any Sendable]>([])

    /// `future`'s value, or a `StatementAbandoned` once `connection` is found closed or
    /// `deadline` passes (the connection is closed then, so the pool never hands it out again).
    static func answer<T: Sendable>(_ future: EventLoopFuture<T>, on connection: PostgresConnection, deadline: Duration) -> Answer<T> {
        let answer = Answer<T>()
        future.whenComplete { answer.settle($0) }
        answer.watch(connection, deadline: deadline) {
            abandoned.withLock { $0.append(future) }
            connection.closeSoon()
        }
        return answer
    }

    /// Runs `body` with `connection` and returns its value, or throws a `StatementAbandoned`
    /// once the connection is found closed or `deadline` passes. The body runs in a task of its
    /// own, left behind when it is given up on (its statement's future never completes).
    static func bounded<T: Sendable>(
        on connection: PostgresConnection, deadline: Duration, _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        let answer = Answer<T>()
        let work = Task {
            do { answer.settle(.success(try await body(connection))) } catch { answer.settle(.failure(error)) }
        }
        answer.watch(connection, deadline: deadline) {
            work.cancel()
            connection.closeSoon()
        }
        return try await withTaskCancellationHandler {
            try await answer.value
        } onCancel: {
            work.cancel()
        }
    }
}
#endif
