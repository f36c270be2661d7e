import NotificationDrivers
import Testing

/// Cuts at whole characters, within the limit counted in characters and in UTF-16 units.
@Suite struct TextLimitTests {
    @Test(arguments: [
        ("abc", 3, "abc"),
        ("abcd", 3, "ab…"),
        ("", 5, ""),
        ("abc", 0, ""),
        ("abc", 1, "…"),
        // A flag is one character of two scalars and four UTF-16 units.
        ("ab🇫🇷", 5, "ab…"),
        ("ab🇫🇷", 6, "ab🇫🇷"),
        // e + combining acute: one character, never split from its accent.
        ("xe\u{301}yz", 3, "x…"),
        ("xe\u{301}yz", 5, "xe\u{301}yz"),
        // A family emoji: one character, 11 UTF-16 units.
        ("👩‍👩‍👧‍👦abc", 12, "👩‍👩‍👧‍👦…"),
        ("👩‍👩‍👧‍👦abc", 11, "…"),
    ])
    func truncate(_ text: String, _ limit: Int, _ expected: String) {
        let out = TextLimit.truncate(text, to: limit)
        #expect(out == expected)
        #expect(out.utf16.count <= limit && out.count <= limit)
    }
}
