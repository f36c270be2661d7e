import Foundation
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

/// The JSON writer's strings read back as written, whatever characters they hold.
@Suite struct JSONValueTests {
    @Test(arguments: ["plain", "quote \" backslash \\ slash /", "tab\tnewline\nreturn\r", "\u{0}\u{1}\u{1F}\u{7F}", "é 🇫🇷 e\u{301} \u{2028}"])
    func stringsRoundTrip(_ text: String) throws {
        let bytes = JSONValue.object([("k", .string(text)), ("n", .int(-3)), ("b", .bool(false)), ("z", .null), ("a", .array([]))]).bytes
        let back = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        #expect(back["k"] as? String == text)
        #expect(back["n"] as? Int == -3)
        #expect(back["b"] as? Bool == false)
        #expect(back["z"] is NSNull)
        #expect((back["a"] as? [Any])?.isEmpty == true)
    }

    @Test func controlCharactersAreEscapedAsJSONRequires() {
        #expect(String(decoding: JSONValue.string("a\u{1}\"\\\n").bytes, as: UTF8.self) == #""a\u0001\"\\\n""#)
    }
}
