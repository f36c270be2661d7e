import Foundation

/// The relative links of Markdown files and the anchors their headings make, as GitHub renders
/// them: enough to tell whether a link in the docs leads anywhere.
enum MarkdownLinks {
    /// A link found in a file: its 1-based line and its target as written.
    struct Link: Equatable {
        let line: Int
        let target: String
    }

    /// The lines of `text` outside fenced code blocks (a fence is ``` or ~~~ at the line start,
    /// up to three spaces in), with their 1-based numbers.
    static func prose(_ text: String) -> [(Int, Substring)] {
        var out: [(Int, Substring)] = []
        var fence: Substring?
        for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.drop { $0 == " " }
            if let open = fence {
                if trimmed.hasPrefix(open) { fence = nil }
                continue
            }
            if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") {
                fence = trimmed.prefix { $0 == trimmed.first }
                continue
            }
            out.append((i + 1, line))
        }
        return out
    }

    /// The anchors of the headings of `text`: GitHub's slugs, in order, a repeated slug
    /// numbered `-1`, `-2`, … .
    static func anchors(_ text: String) -> Set<String> {
        var seen: [String: Int] = [:]
        var anchors: Set<String> = []
        for (_, line) in prose(text) {
            let hashes = line.prefix { $0 == "#" }.count
            guard (1...6).contains(hashes), line.dropFirst(hashes).first == " " else { continue }
            var heading = String(line.dropFirst(hashes)).trimmingCharacters(in: .whitespaces)
            // A closing run of #s is not part of the heading.
            if let closing = heading.range(of: #"\s+#+$"#, options: .regularExpression) { heading.removeSubrange(closing) }
            let base = slug(heading)
            let n = seen[base, default: 0]
            seen[base] = n + 1
            anchors.insert(n == 0 ? base : "\(base)-\(n)")
        }
        return anchors
    }

    /// GitHub's slug of a heading: its rendered text (link targets and inline markup removed),
    /// lower-cased, without punctuation other than `-` and `_`, each space a `-`.
    static func slug(_ heading: String) -> String {
        let rendered = heading.replacingOccurrences(of: #"\[([^\]]*)\]\([^)]*\)"#, with: "$1", options: .regularExpression)
        var out = ""
        for ch in rendered.lowercased() {
            if ch == " " { out.append("-") }
            else if ch == "-" || ch == "_" || ch.isLetter || ch.isNumber { out.append(ch) }
        }
        return out
    }

    /// The links of `text` outside code: inline `[text](target)` and `![alt](target)`, and
    /// reference definitions `[label]: target`.
    static func links(_ text: String) -> [Link] {
        var out: [Link] = []
        let inline = try! NSRegularExpression(pattern: #"\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)"#)
        let reference = try! NSRegularExpression(pattern: #"^\s{0,3}\[[^\]]+\]:\s+<?([^\s>]+)"#)
        for (number, line) in prose(text) {
            // Inline code spans are not links.
            let code = String(line).replacingOccurrences(of: #"`[^`]*`"#, with: "", options: .regularExpression)
            let range = NSRange(code.startIndex..., in: code)
            for regex in [inline, reference] {
                for m in regex.matches(in: code, range: range) {
                    out.append(Link(line: number, target: String(code[Range(m.range(at: 1), in: code)!])))
                }
            }
        }
        return out
    }

    /// Whether `target` is an address on the web or mail, which this check leaves alone.
    static func isExternal(_ target: String) -> Bool {
        target.range(of: #"^[a-zA-Z][a-zA-Z0-9+.-]*:"#, options: .regularExpression) != nil
    }

    /// The links of the Markdown file `file` that do not resolve inside `root`: a missing file
    /// or folder, a path leaving `root`, or an anchor no heading of its file makes. Each as
    /// `path:line: target`, with the path relative to `root`.
    static func broken(in file: URL, root: URL) throws -> [String] {
        let text = try String(contentsOf: file, encoding: .utf8)
        let rootPath = root.standardizedFileURL.path
        let name = String(file.standardizedFileURL.path.dropFirst(rootPath.count + 1))
        var problems: [String] = []
        for link in links(text) where !isExternal(link.target) {
            let parts = link.target.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)
            let path = String(parts[0]).removingPercentEncoding ?? String(parts[0])
            let target = path.isEmpty ? file : file.deletingLastPathComponent().appendingPathComponent(path).standardizedFileURL
            let inside = target.path == rootPath || target.path.hasPrefix(rootPath + "/")
            var ok = inside && FileManager.default.fileExists(atPath: target.path)
            if ok, parts.count == 2, target.pathExtension == "md" {
                let anchor = String(parts[1]).removingPercentEncoding ?? String(parts[1])
                ok = anchors(try String(contentsOf: target, encoding: .utf8)).contains(anchor)
            }
            if !ok { problems.append("\(name):\(link.line): \(link.target)") }
        }
        return problems
    }
}
