import Foundation
import Testing
@testable import RuleLang

/// `grammar/rulelang.ebnf` stays in step with the parser: every `(* example: … *)` parses.
@Suite struct GrammarTests {
    static func examples() throws -> [String] {
        let text = try String(contentsOf: Repo.root.appendingPathComponent("grammar/rulelang.ebnf"), encoding: .utf8)
        return text.split(separator: "\n").compactMap { line in
            guard let r = line.range(of: "(* example: "), let end = line.range(of: " *)", options: .backwards) else { return nil }
            return String(line[r.upperBound..<end.lowerBound])
        }
    }

    @Test func everyGrammarExampleParses() throws {
        let examples = try Self.examples()
        #expect(examples.count >= 30)
        for e in examples {
            let (expr, d) = Parser.parse(ExpressionSource(file: SourceFile(path: "ebnf", text: e)))
            #expect(expr != nil && d.isEmpty, "grammar example does not parse: \(e) — \(d.first?.message ?? "")")
        }
    }
}
