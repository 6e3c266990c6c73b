internal import CCurl
import Foundation
import Synchronization

/// Fetches metrics endpoints with libcurl's multi interface: every transfer of the process runs
/// on one event loop, on a thread of its own, with connections kept alive between scrapes. A
/// hanging target costs a socket until its timeout, never a thread; an endless body stops at the
/// size limit. Callers `await fetch(_:)` from any task.
package final class HTTPFetcher: Sendable {
    private let loop: CurlLoop

    /// Starts the event loop, holding at most `connectionLimit` connections (open and idle) at
    /// once: a transfer beyond it waits for one to free, so scrapes cannot use up the process'
    /// file descriptors.
    package init(connectionLimit: Int = 1_000) {
        loop = CurlLoop(connectionLimit: max(1, connectionLimit))
        let thread = Thread { [loop] in loop.run() }
        thread.name = "ballast-curl"
        thread.start()
    }

    /// Performs one request; never throws (failures are in the response).
    package func fetch(_ request: FetchRequest) async -> FetchResponse {
        await withCheckedContinuation { continuation in
            loop.submit(request, continuation)
        }
    }

    /// Ends the loop: transfers in flight fail with "shutting down".
    package func shutdown() {
        loop.stop()
    }
}

/// One GET of a metrics endpoint, or one POST of a form (a remote query).
package struct FetchRequest: Sendable {
    package var url: String
    /// An `application/x-www-form-urlencoded` body, sent with POST; nil: GET.
    package var form: String?
    /// Extra request headers, `Name: value`.
    package var headers: [String]
    /// The whole transfer, connect included (ms).
    package var timeoutMilliseconds: Int
    /// The largest body accepted, after decompression (bytes); a larger one fails the fetch.
    package var bodySizeLimit: Int
    /// The body size expected (a scrape's last one), reserved up front so the body is not
    /// copied as it grows; bounded by `bodySizeLimit`.
    package var expectedBodySize = 0
    package var userAgent: String
    package var tls: TLSFiles
    /// Basic authentication, already read from its files.
    package var basicAuth: (username: String, password: String)?

    package init(
        url: String,
        headers: [String] = [],
        timeoutMilliseconds: Int,
        bodySizeLimit: Int,
        userAgent: String,
        tls: TLSFiles = TLSFiles(),
        basicAuth: (username: String, password: String)? = nil,
        form: String? = nil
    ) {
        self.url = url
        self.form = form
        self.headers = headers
        self.timeoutMilliseconds = timeoutMilliseconds
        self.bodySizeLimit = bodySizeLimit
        self.userAgent = userAgent
        self.tls = tls
        self.basicAuth = basicAuth
    }
}

/// TLS settings of a target: files, never inline secrets.
package struct TLSFiles: Sendable, Hashable {
    package var caFile: String?
    package var certFile: String?
    package var keyFile: String?
    package var insecureSkipVerify = false

    package init(caFile: String? = nil, certFile: String? = nil, keyFile: String? = nil, insecureSkipVerify: Bool = false) {
        self.caFile = caFile
        self.certFile = certFile
        self.keyFile = keyFile
        self.insecureSkipVerify = insecureSkipVerify
    }
}

/// What a fetch returned: a body with its status and type, or why there is none.
package struct FetchResponse: Sendable {
    package var status: Int
    package var contentType: String?
    /// The body of a 200, or of an error status (a remote API's error document); empty when the
    /// transfer itself failed.
    package var body: [UInt8]
    /// Prometheus-style reason when the fetch failed (`server returned HTTP status 500 ...`,
    /// `body size limit exceeded`, a timeout, a refused connection); nil on a 200 with a body.
    package var error: String?
    /// Seconds from the start of the transfer to its end.
    package var seconds: Double
}

/// The loop's state, shared between callers (submit) and the loop thread.
// @unchecked: `pending`/`stopping` are guarded by the Mutex; `multi` and the transfers are only
// touched by the loop thread; curl_multi_wakeup is documented thread-safe.
private final class CurlLoop: @unchecked Sendable {
    private struct Pending {
        var request: FetchRequest
        var continuation: CheckedContinuation<FetchResponse, Never>
    }

    private let queue = Mutex<(pending: [Pending], stopping: Bool)>(([], false))
    private let multi: UnsafeMutableRawPointer

    init(connectionLimit: Int) {
        Self.globalInit
        multi = curl_multi_init()
        // Connections to the same target are reused across scrapes; this bounds idle ones, and
        // all of them together.
        _ = ballast_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, connectionLimit)
        _ = ballast_multi_setopt_long(multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, connectionLimit)
    }

    /// curl_global_init is not thread-safe: run it once, before any handle exists.
    private static let globalInit: Void = {
        curl_global_init(Int(CURL_GLOBAL_ALL))
    }()

    func submit(_ request: FetchRequest, _ continuation: CheckedContinuation<FetchResponse, Never>) {
        let accepted = queue.withLock { state -> Bool in
            guard !state.stopping else { return false }
            state.pending.append(Pending(request: request, continuation: continuation))
            return true
        }
        guard accepted else {
            continuation.resume(returning: FetchResponse(status: 0, contentType: nil, body: [], error: "shutting down", seconds: 0))
            return
        }
        curl_multi_wakeup(multi)
    }

    func stop() {
        queue.withLock { $0.stopping = true }
        curl_multi_wakeup(multi)
    }

    func run() {
        var transfers: [UnsafeMutableRawPointer: Transfer] = [:]
        while true {
            let (incoming, stopping) = queue.withLock { state -> ([Pending], Bool) in
                defer { state.pending.removeAll() }
                return (state.pending, state.stopping)
            }
            if stopping {
                for pending in incoming {
                    pending.continuation.resume(returning: FetchResponse(status: 0, contentType: nil, body: [], error: "shutting down", seconds: 0))
                }
                for (easy, transfer) in transfers {
                    curl_multi_remove_handle(multi, easy)
                    transfer.finish(easy, result: CURLE_ABORTED_BY_CALLBACK, override: "shutting down")
                }
                curl_multi_cleanup(multi)
                return
            }
            for pending in incoming {
                let transfer = Transfer(request: pending.request, continuation: pending.continuation)
                if let easy = transfer.makeHandle() {
                    transfers[easy] = transfer
                    curl_multi_add_handle(multi, easy)
                }
            }
            var running: Int32 = 0
            curl_multi_perform(multi, &running)
            var result = CURLE_OK
            while let easy = ballast_multi_next_done(multi, &result) {
                curl_multi_remove_handle(multi, easy)
                transfers.removeValue(forKey: easy)?.finish(easy, result: result, override: nil)
            }
            curl_multi_poll(multi, nil, 0, 1_000, nil)
        }
    }
}

/// One transfer: its handle's settings, the body received so far, and who waits for it.
private final class Transfer {
    let request: FetchRequest
    let continuation: CheckedContinuation<FetchResponse, Never>
    var body: [UInt8] = []
    var limitExceeded = false
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private let started = ContinuousClock.now

    init(request: FetchRequest, continuation: CheckedContinuation<FetchResponse, Never>) {
        self.request = request
        self.continuation = continuation
        body.reserveCapacity(min(request.expectedBodySize, request.bodySizeLimit))
    }

    /// A configured easy handle, or nil after resuming the caller with the reason.
    func makeHandle() -> UnsafeMutableRawPointer? {
        guard let easy = curl_easy_init() else {
            continuation.resume(
                returning: FetchResponse(status: 0, contentType: nil, body: [], error: "libcurl could not create a transfer", seconds: 0)
            )
            return nil
        }
        func set(_ option: CURLoption, _ value: Int) { _ = ballast_easy_setopt_long(easy, option, value) }
        func set(_ option: CURLoption, _ value: String) { _ = ballast_easy_setopt_string(easy, option, value) }
        set(CURLOPT_URL, request.url)
        if let form = request.form { set(CURLOPT_COPYPOSTFIELDS, form) }
        set(CURLOPT_PROTOCOLS_STR, "http,https")
        set(CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
        set(CURLOPT_FOLLOWLOCATION, 1)
        set(CURLOPT_MAXREDIRS, 10)
        set(CURLOPT_NOSIGNAL, 1)
        set(CURLOPT_TIMEOUT_MS, max(1, request.timeoutMilliseconds))
        set(CURLOPT_USERAGENT, request.userAgent)
        // Asks for gzip and decompresses it; the size limit applies to the decompressed body.
        set(CURLOPT_ACCEPT_ENCODING, "gzip")
        for header in request.headers { headerList = curl_slist_append(headerList, header) }
        _ = ballast_easy_setopt_slist(easy, CURLOPT_HTTPHEADER, headerList)
        if let ca = request.tls.caFile { set(CURLOPT_CAINFO, ca) }
        if let cert = request.tls.certFile { set(CURLOPT_SSLCERT, cert) }
        if let key = request.tls.keyFile { set(CURLOPT_SSLKEY, key) }
        if request.tls.insecureSkipVerify {
            set(CURLOPT_SSL_VERIFYPEER, 0)
            set(CURLOPT_SSL_VERIFYHOST, 0)
        }
        if let auth = request.basicAuth {
            set(CURLOPT_HTTPAUTH, ballast_curlauth_basic)
            set(CURLOPT_USERNAME, auth.username)
            set(CURLOPT_PASSWORD, auth.password)
        }
        _ = ballast_easy_setopt_write_callback(easy, CURLOPT_WRITEFUNCTION, receiveBody)
        _ = ballast_easy_setopt_pointer(easy, CURLOPT_WRITEDATA, Unmanaged.passUnretained(self).toOpaque())
        return easy
    }

    /// Resumes the caller with the outcome and releases the handle.
    func finish(_ easy: UnsafeMutableRawPointer, result: CURLcode, override: String?) {
        var status = 0
        _ = ballast_easy_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status)
        var typePointer: UnsafeMutablePointer<CChar>?
        _ = ballast_easy_getinfo_string(easy, CURLINFO_CONTENT_TYPE, &typePointer)
        let contentType = typePointer.map { String(cString: $0) }
        let error: String?
        var keepsBody = true
        if let override {
            error = override
            keepsBody = false
        } else if limitExceeded {
            error = "body size limit exceeded"
            keepsBody = false
        } else if result != CURLE_OK {
            var systemError = 0
            _ = ballast_easy_getinfo_long(easy, CURLINFO_OS_ERRNO, &systemError)
            error = Self.describe(
                result,
                systemError: Int32(systemError),
                method: request.form == nil ? "Get" : "Post",
                url: request.url,
                timeout: request.timeoutMilliseconds
            )
            keepsBody = false
        } else if status != 200 {
            error = "server returned HTTP status \(status) \(HTTPStatusText.reason(status))"
        } else {
            error = nil
        }
        curl_easy_cleanup(easy)
        curl_slist_free_all(headerList)
        headerList = nil
        let seconds = (ContinuousClock.now - started) / .seconds(1)
        continuation.resume(
            returning: FetchResponse(status: status, contentType: contentType, body: keepsBody ? body : [], error: error, seconds: seconds)
        )
    }

    /// Whether a failed connect was for want of a descriptor. libcurl does not always record
    /// `socket()`'s errno, so this tries to open one descriptor itself.
    private static func descriptorsExhausted(systemError: Int32) -> Bool {
        if systemError == EMFILE || systemError == ENFILE { return true }
        let probe = open("/dev/null", O_RDONLY | O_CLOEXEC)
        guard probe < 0 else {
            close(probe)
            return false
        }
        return errno == EMFILE || errno == ENFILE
    }

    /// The reason as Go's HTTP client words it (`Get "URL": ...`), as Prometheus shows it.
    private static func describe(_ result: CURLcode, systemError: Int32, method: String, url: String, timeout: Int) -> String {
        let detail: String
        switch result {
        case CURLE_OPERATION_TIMEDOUT: detail = "timed out after \(Double(timeout) / 1000)s"
        case CURLE_COULDNT_CONNECT where descriptorsExhausted(systemError: systemError):
            // Not the target's fault: say so, so nobody hunts for a dead backend.
            detail = "Ballast has too many open files (raise its limit: ulimit -n, LimitNOFILE=)"
        case CURLE_COULDNT_CONNECT: detail = "connection refused"
        case CURLE_COULDNT_RESOLVE_HOST: detail = "no such host"
        case CURLE_BAD_CONTENT_ENCODING: detail = "invalid gzip body"
        default: detail = String(cString: curl_easy_strerror(result))
        }
        return "\(method) \"\(url)\": \(detail)"
    }
}

/// libcurl's body callback: appends to the transfer's buffer, or stops the transfer (by
/// returning less than it was given) once the body passes the limit.
private func receiveBody(_ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?) -> Int {
    guard let data, let context else { return 0 }
    let transfer = Unmanaged<Transfer>.fromOpaque(context).takeUnretainedValue()
    let length = size * count
    guard transfer.body.count + length < transfer.request.bodySizeLimit else {
        transfer.limitExceeded = true
        return 0
    }
    data.withMemoryRebound(to: UInt8.self, capacity: length) { transfer.body.append(contentsOf: UnsafeBufferPointer(start: $0, count: length)) }
    return length
}
