/// The one owner of a libcurl multi handle, driven on a dedicated thread.
/// (Stub: implemented in the Fetch work item.)
public final class HTTPClient: Sendable {
    public let configuration: FetchConfiguration

    public init(configuration: FetchConfiguration = FetchConfiguration()) throws {
        self.configuration = configuration
    }

    /// Fetches one URL, following redirects itself so the chain is recorded.
    public func fetch(_ request: FetchRequest) async -> FetchResponse {
        FetchResponse(url: request.url, finalURL: request.url, status: 0, headers: [:], redirects: [], body: [],
                      truncated: false, classification: .broken, reason: "unimplemented", detail: "",
                      seconds: 0, attempts: 0, method: request.method)
    }

    /// Checks a target without keeping its body: HEAD first, GET when the server
    /// refuses HEAD (405/501) or answers it wrongly.
    public func check(_ url: String) async -> FetchResponse {
        await fetch(FetchRequest(url: url, method: .head, keepBody: false))
    }

    /// Stops the transfer thread; pending fetches finish as broken ("cancelled").
    public func shutdown() {}
}
