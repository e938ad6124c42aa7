import DossierCore

/// libFuzzer's input as the loader would read it: UTF-8 text (invalid sequences repaired, since
/// the loader rejects such a file before any stage sees it) without a byte order mark.
public enum FuzzInput {
    public static func text(_ data: UnsafePointer<UInt8>, _ size: Int) -> String {
        text(UnsafeBufferPointer(start: data, count: size))
    }

    public static func text(_ bytes: some Collection<UInt8>) -> String {
        var text = String(decoding: bytes, as: UTF8.self)
        if text.unicodeScalars.first == "\u{FEFF}" { text.unicodeScalars.removeFirst() }
        return text
    }

    /// The bytes before and after the first `separator`, nil after it when there is none.
    public static func split(_ data: UnsafePointer<UInt8>, _ size: Int, at separator: UInt8)
        -> (head: UnsafeBufferPointer<UInt8>, tail: UnsafeBufferPointer<UInt8>?) {
        let bytes = UnsafeBufferPointer(start: data, count: size)
        guard let index = bytes.firstIndex(of: separator) else { return (bytes, nil) }
        return (UnsafeBufferPointer(rebasing: bytes[..<index]), UnsafeBufferPointer(rebasing: bytes[(index + 1)...]))
    }
}

/// Stops the fuzzer with `message` when `condition` does not hold: libFuzzer reports the crash
/// and saves the input. (`precondition` would stop without its message in a release build.)
public func invariant(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError("invariant violated: \(message())") }
}

extension SourceText {
    /// Checks that every diagnostic points into this file: a line it has, a column on that line
    /// (or just after its end), 0 for "the whole file" or "the whole line".
    public func checkLocations(of diagnostics: [Diagnostic]) {
        for diagnostic in diagnostics {
            let location = diagnostic.location
            invariant(location.path == path, "diagnostic in another file: \(diagnostic)")
            guard location.line != 0 else { continue }
            invariant((1...lineCount).contains(location.line), "diagnostic on line \(location.line) of \(lineCount): \(diagnostic)")
            invariant((0...(lineRange(location.line).count + 1)).contains(location.column),
                      "diagnostic at column \(location.column) of a line of \(lineRange(location.line).count): \(diagnostic)")
        }
    }
}
