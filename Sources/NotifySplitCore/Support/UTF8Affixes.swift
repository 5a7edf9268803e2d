import Foundation

/// Prefix and suffix tests on a string's UTF-8 bytes, by `memcmp`: the
/// tree walk asks them of every name and path, where `String.hasPrefix`
/// (which compares characters, with Unicode equivalence) cost more than
/// the walk itself.
extension String {
    func utf8HasPrefix(_ prefix: StaticString) -> Bool {
        utf8Compare(prefix) { bytes, affix in memcmp(bytes.baseAddress!, affix, prefix.utf8CodeUnitCount) == 0 }
    }

    func utf8HasSuffix(_ suffix: StaticString) -> Bool {
        utf8Compare(suffix) { bytes, affix in
            memcmp(bytes.baseAddress! + (bytes.count - suffix.utf8CodeUnitCount), affix, suffix.utf8CodeUnitCount) == 0
        }
    }

    private func utf8Compare(_ affix: StaticString,
                             _ compare: (UnsafeBufferPointer<UInt8>, UnsafePointer<UInt8>) -> Bool) -> Bool {
        let length = affix.utf8CodeUnitCount
        guard utf8.count >= length else { return false }
        guard length > 0 else { return true }
        if let result = utf8.withContiguousStorageIfAvailable({ compare($0, affix.utf8Start) }) { return result }
        var copy = self
        return copy.withUTF8 { compare($0, affix.utf8Start) }
    }

    /// The bytes after the last `/` (the whole string without one).
    var utf8LastComponent: Substring.UTF8View {
        let view = utf8
        let start = view.lastIndex(of: UInt8(ascii: "/")).map(view.index(after:)) ?? view.startIndex
        return self[start...].utf8
    }
}
