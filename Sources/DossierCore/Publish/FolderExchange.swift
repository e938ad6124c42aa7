import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Two folders exchanged in one step, where the system can: Linux's `renameat2` with
/// `RENAME_EXCHANGE`, macOS's `renamex_np` with `RENAME_SWAP`. A build killed at any moment
/// then leaves either the old site or the new one in place, never neither.
enum FolderExchange {
    /// Exchanges `first` and `second`; false when the system or file system cannot, and
    /// nothing was changed.
    static func exchange(_ first: URL, _ second: URL) -> Bool {
        #if canImport(Glibc)
        // Glibc's Swift module does not declare renameat2 (glibc has it since 2.28).
        typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32
        let renameExchange: UInt32 = 1 << 1
        guard let symbol = dlsym(nil, "renameat2") else { return false }
        let renameat2 = unsafeBitCast(symbol, to: RenameAt2.self)
        return renameat2(AT_FDCWD, first.path, AT_FDCWD, second.path, renameExchange) == 0
        #elseif canImport(Darwin)
        return renamex_np(first.path, second.path, UInt32(RENAME_SWAP)) == 0
        #else
        return false
        #endif
    }
}
