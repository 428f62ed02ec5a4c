import Foundation
import Store
import Vocabulary

/// SIGINT and SIGTERM during a sweep: the run is marked `interrupted` in the store (so
/// `govsweep history` says so and `--resume` continues it), then the process exits with
/// 128 + the signal, as a shell expects. Without it the run stayed `running` for ever.
final class Interruption {
    private var sources: [any DispatchSourceSignal] = []
    private let signals = [SIGINT, SIGTERM]

    init(store: any RunRecords, runID: Int64, quiet: Bool) {
        for sig in signals {
            signal(sig, SIG_IGN)  // (else the default action kills the process before the source runs)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler {
                // Through the sweep's own store, on this queue's thread: a write batch in
                // progress finishes first (SQLite's connection is behind a mutex; PostgreSQL's
                // pool gives this call a connection of its own).
                if var run = try? store.run(id: runID) {
                    run.status = .interrupted
                    run.finishedAt = ChinaTime.timestamp(Date())
                    try? store.finishRun(run)
                }
                if !quiet {
                    FileHandle.standardError.write(Data("\ngovsweep: interrupted; run \(runID) is marked interrupted (--resume continues it)\n".utf8))
                }
                exit(128 + sig)
            }
            source.resume()
            sources.append(source)
        }
    }

    /// The default actions back, once the run is finished.
    func end() {
        for s in sources { s.cancel() }
        for sig in signals { signal(sig, SIG_DFL) }
    }
}
