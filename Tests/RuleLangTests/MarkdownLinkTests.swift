import Foundation
import Testing

/// Every relative link of the README and the docs leads to a file of the repository and, with a
/// `#anchor`, to a heading of that file.
@Suite struct MarkdownLinkTests {
    /// README.md and every docs/*.md.
    static var documents: [URL] {
        let docs = Repo.root.appendingPathComponent("docs")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: docs.path)) ?? []
        return [Repo.root.appendingPathComponent("README.md")]
            + names.filter { $0.hasSuffix(".md") }.sorted().map { docs.appendingPathComponent($0) }
    }

    @Test func everyRelativeLinkResolves() throws {
        #expect(Self.documents.count > 5)
        var broken: [String] = []
        for document in Self.documents {
            broken += try MarkdownLinks.broken(in: document, root: Repo.root)
        }
        #expect(broken == [])
    }

    @Test(arguments: [
        ("`rulec --version`", "rulec---version"),
        ("`--dump tokens|ast|types`", "--dump-tokensasttypes"),
        ("E0203: unknown channel", "e0203-unknown-channel"),
        ("Machine formats (JSON, SARIF, GitHub)", "machine-formats-json-sarif-github"),
        ("The [rule index](bytecode.md#x) and `in`", "the-rule-index-and-in"),
        ("snake_case names", "snake_case-names"),
    ])
    func slugsFollowGitHub(heading: String, slug: String) {
        #expect(MarkdownLinks.slug(heading) == slug)
    }

    /// The checker itself: a missing file, a missing anchor, a path out of the repository and a
    /// repeated heading's numbered anchor; links in code and web addresses are left alone.
    @Test func plantedLinksAreJudged() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("rulelang-links-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("docs"), withIntermediateDirectories: true)
        try """
        # Guide
        ## Setup
        ## Setup
        See [setup](#setup), [again](#setup-1), [other](b.md#top), [gone](missing.md),
        [no anchor](b.md#nowhere), [outside](../../etc/passwd), [web](https://example.com/x.md#y)
        and `[code](nothing.md)`.
        ```
        [fenced](nothing.md)
        ```
        [ref]: b.md#top
        """.write(to: root.appendingPathComponent("docs/a.md"), atomically: true, encoding: .utf8)
        try "# Top\n".write(to: root.appendingPathComponent("docs/b.md"), atomically: true, encoding: .utf8)
        let broken = try MarkdownLinks.broken(in: root.appendingPathComponent("docs/a.md"), root: root)
        #expect(broken == ["docs/a.md:4: missing.md", "docs/a.md:5: b.md#nowhere", "docs/a.md:5: ../../etc/passwd"])
    }
}
