import FlyingSocks
import Foundation
import Synchronization

/// A small HTTP/1.1 server on 127.0.0.1 for the preview, on FlyingSocks' sockets: GET and HEAD,
/// keep-alive, and responses streamed as long as the client listens (server-sent events).
///
/// It accepts connections on a task of its own. FlyingFox's `HTTPServer` (0.27) accepts on its
/// actor, whose queue every request of every connection passes through: under a thousand busy
/// connections it accepted one new connection per round of that queue, and connections opened
/// in a burst waited more than ten seconds for their first answer.
final class LocalHTTPServer: Sendable {
    struct Response: Sendable {
        enum Body: Sendable {
            case bytes(Data)
            /// Chunks sent as they come, until the stream ends or the client goes away.
            case stream(AsyncStream<[UInt8]>)
        }

        var status: Int
        var headers: [(name: String, value: String)]
        var body: Body
    }

    typealias Handler = @Sendable (_ path: String) async -> Response

    /// The longest request head read: a request line and headers.
    static let maximumHeadLength = 16 * 1024

    private let requestedPort: UInt16
    private let handler: Handler
    private let running = Mutex<[Task<Void, any Error>]>([])

    init(port: UInt16, handler: @escaping Handler) {
        self.requestedPort = port
        self.handler = handler
    }

    /// Listens on 127.0.0.1 and starts accepting; returns the port (useful with port 0).
    func start() async throws -> UInt16 {
        let pool = SocketPool.make()
        try await pool.prepare()
        let socket = try Socket(domain: AF_INET)
        try socket.setValue(true, for: .localAddressReuse)
        try socket.bind(to: .inet(ip4: "127.0.0.1", port: requestedPort))
        try socket.listen()
        let listener = try AsyncSocket(socket: socket, pool: pool)
        let handler = self.handler
        let poolTask = Task { try await pool.run() }
        let acceptTask = Task {
            defer { try? listener.close() }
            try await withThrowingDiscardingTaskGroup { group in
                for try await client in listener.sockets {
                    group.addTask { await Self.serve(client, handler: handler) }
                }
            }
        }
        running.withLock { $0 = [poolTask, acceptTask] }
        guard case .ip4(_, let port) = try socket.sockname() else { return requestedPort }
        return port
    }

    /// Stops listening and ends every connection.
    func stop() {
        running.withLock { tasks in
            tasks.forEach { $0.cancel() }
            tasks = []
        }
    }

    /// Answers the requests of one connection until it closes, breaks the protocol or asks to close.
    private static func serve(_ client: AsyncSocket, handler: Handler) async {
        defer { try? client.close() }
        var buffer: [UInt8] = []
        while !Task.isCancelled {
            let request: Request
            switch try? await readRequest(from: client, buffer: &buffer) {
            case .request(let read)?: request = read
            case .malformed?: return await refuse(client, status: 400)
            case .tooLong?: return await refuse(client, status: 431)
            case nil: return
            }
            guard request.method == "GET" || request.method == "HEAD" else { return await refuse(client, status: 405) }
            let response = await handler(request.path)
            switch response.body {
            case .bytes(let data):
                var message = head(status: response.status, headers: response.headers, length: data.count, keepAlive: request.keepAlive)
                if request.method == "GET" { message.append(data) }
                guard (try? await client.write(message)) != nil, request.keepAlive else { return }
            case .stream(let chunks):
                guard (try? await client.write(head(status: response.status, headers: response.headers, length: nil, keepAlive: false))) != nil,
                      request.method == "GET" else { return }
                for await chunk in chunks {
                    guard (try? await client.write(Data(chunk))) != nil else { return }
                }
                return
            }
        }
    }

    private static func refuse(_ client: AsyncSocket, status: Int) async {
        try? await client.write(head(status: status, headers: [], length: 0, keepAlive: false))
    }

    private struct Request {
        let method: String
        /// The path as sent, still percent-encoded, without query or fragment.
        let path: String
        let keepAlive: Bool
    }

    private enum Incoming {
        case request(Request)
        case malformed
        /// A request head longer than `maximumHeadLength`, read to its end (closing with unread
        /// bytes would reset the connection before the client reads the answer).
        case tooLong
    }

    /// Bytes read in search of a head's end before the connection is closed without an answer.
    private static let maximumBytesPerHead = 64 * maximumHeadLength

    /// The next request's head, read from `buffer` and then the socket; bytes after it stay in
    /// the buffer. Throws when the connection ends.
    private static func readRequest(from client: AsyncSocket, buffer: inout [UInt8]) async throws -> Incoming {
        let terminator: [UInt8] = Array("\r\n\r\n".utf8)
        var searchFrom = 0
        while true {
            if let end = buffer[searchFrom...].firstRange(of: terminator) {
                defer { buffer.removeSubrange(..<end.upperBound) }
                guard end.lowerBound <= maximumHeadLength else { return .tooLong }
                return parse(String(decoding: buffer[..<end.lowerBound], as: UTF8.self)).map(Incoming.request) ?? .malformed
            }
            guard buffer.count <= maximumBytesPerHead else { throw EndlessHead() }
            searchFrom = max(0, buffer.count - terminator.count + 1)
            buffer += try await client.read(atMost: 4096)
        }
    }

    private struct EndlessHead: Error {}

    /// The request line and the headers that matter here; nil when the line is not HTTP/1.x.
    private static func parse(_ head: String) -> Request? {
        let lines = head.split(separator: "\r\n", omittingEmptySubsequences: false)
        let requestLine = lines.first?.split(separator: " ") ?? []
        guard requestLine.count == 3, requestLine[2].hasPrefix("HTTP/1.") else { return nil }
        var connection = ""
        var hasBody = false
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces).lowercased()
            if name == "connection" { connection = value }
            if (name == "content-length" && value != "0") || name == "transfer-encoding" { hasBody = true }
        }
        // A request with a body is answered, then the connection closed: no body is read.
        let keepAlive = !hasBody && (requestLine[2] == "HTTP/1.1" ? connection != "close" : connection == "keep-alive")
        let path = requestLine[1].prefix { $0 != "?" && $0 != "#" }
        return Request(method: String(requestLine[0]), path: String(path), keepAlive: keepAlive)
    }

    /// The status line and headers; `length` nil for a body that lasts until the connection closes.
    private static func head(status: Int, headers: [(name: String, value: String)], length: Int?, keepAlive: Bool) -> Data {
        var text = "HTTP/1.1 \(status) \(reason(for: status))\r\n"
        for header in headers { text += "\(header.name): \(header.value)\r\n" }
        if let length { text += "Content-Length: \(length)\r\n" }
        text += "Connection: \(keepAlive ? "keep-alive" : "close")\r\n\r\n"
        return Data(text.utf8)
    }

    private static func reason(for status: Int) -> String {
        switch status {
        case 200: "OK"
        case 400: "Bad Request"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 431: "Request Header Fields Too Large"
        default: "Status"
        }
    }
}
