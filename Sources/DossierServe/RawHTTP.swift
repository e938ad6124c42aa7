import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A bare HTTP/1.1 client over a socket to 127.0.0.1, enough to fetch pages and read an event
/// stream as an open page does: what the tests and the reload benchmark talk to `serve` with.
public final class RawHTTP {
    private let descriptor: Int32
    private var received = Data()

    public struct Failure: Error {}

    public init(port: UInt16, host: String = "127.0.0.1") throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr(host)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw Failure() }
    }

    deinit { close(descriptor) }

    public func send(get path: String) {
        send(raw: "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
    }

    /// Any bytes, a request or a part of one.
    public func send(raw text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
    }

    /// Reads until `marker` has arrived (returns everything read so far) or `seconds` pass (nil).
    public func read(until marker: String, seconds: Double = 10) -> String? {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let text = String(decoding: received, as: UTF8.self)
            if text.contains(marker) { return text }
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 100) > 0 else { continue }
            var buffer = [UInt8](repeating: 0, count: 65536)
            let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count <= 0 { return String(decoding: received, as: UTF8.self).contains(marker) ? String(decoding: received, as: UTF8.self) : nil }
            received.append(contentsOf: buffer[0..<count])
        }
        return nil
    }

    /// Forgets what was read so far.
    public func reset() { received = Data() }

    /// A whole response: status line, headers and body.
    public static func get(_ path: String, port: UInt16) throws -> String {
        try exchange("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", port: port)
    }

    /// Everything the server answers to `request` until it closes the connection (or 10 s pass:
    /// under a full test run on two cores, a first answer once took longer than 3 s).
    public static func exchange(_ request: String, port: UInt16) throws -> String {
        let client = try RawHTTP(port: port)
        client.send(raw: request)
        return client.read(until: "\u{0}", seconds: 10) ?? String(decoding: client.received, as: UTF8.self)
    }
}
