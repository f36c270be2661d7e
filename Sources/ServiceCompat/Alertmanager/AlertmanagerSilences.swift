import Foundation
import RuleCompiler
import RuleLang
import RuleRuntime
import RuleText

extension Alertmanager {
    /// A silence the service keeps: what was posted (times as milliseconds) and when it last
    /// changed. Its matchers are kept as posted, so `gettable` gives them back unchanged.
    public struct StoredSilence: Sendable, Equatable, Codable {
        public let id: String
        public var matchers: [Matcher]
        public var startsAt: Int64
        public var endsAt: Int64
        public var createdBy: String
        public var comment: String
        public var updatedAt: Int64

        public init(id: String, matchers: [Matcher], startsAt: Int64, endsAt: Int64, createdBy: String, comment: String, updatedAt: Int64) {
            self.id = id
            self.matchers = matchers
            self.startsAt = startsAt
            self.endsAt = endsAt
            self.createdBy = createdBy
            self.comment = comment
            self.updatedAt = updatedAt
        }

        /// Pending before `startsAt`, active until `endsAt`, expired from then on.
        public func state(at now: Int64) -> SilenceStatus.State {
            now < startsAt ? .pending : now < endsAt ? .active : .expired
        }

        /// The silence as Alertmanager lists it at `now`.
        public func gettable(at now: Int64) -> GettableSilence {
            GettableSilence(id: id, status: SilenceStatus(state: state(at: now)), updatedAt: CompatTime.format(updatedAt),
                            matchers: matchers, startsAt: CompatTime.format(startsAt), endsAt: CompatTime.format(endsAt),
                            createdBy: createdBy, comment: comment)
        }

        /// `DELETE /api/v2/silence/{id}` at `now`: it ends now (a pending one also starts now,
        /// as Alertmanager does); nil when it has already expired.
        public func expired(at now: Int64) -> StoredSilence? {
            guard state(at: now) != .expired else { return nil }
            var s = self
            if s.startsAt > now { s.startsAt = now }
            s.endsAt = now
            s.updatedAt = now
            return s
        }
    }

    /// A posted silence, checked and compiled: what to store, and the engine's silence. The
    /// shell hands `compiled` to the engine (`silenceAdded(compiled, expiresAt: endsAt)`) once
    /// the silence is active, at `stored.startsAt` — at once unless it was posted for later
    /// (the engine's silences have no start of their own).
    public struct AcceptedSilence: Sendable {
        public let stored: StoredSilence
        /// The RuleLang condition the matchers became.
        public let expression: String
        public let compiled: CompiledSilence
        /// Whether the post replaces the silence with this id (the route answers 404 when the
        /// tenant has none).
        public let replaces: Bool
    }

    /// A lowercase UUID, the form of Alertmanager's silence ids.
    public static func newSilenceID() -> String { UUID().uuidString.lowercased() }

    /// Whether `text` is a silence id as Alertmanager writes one (a UUID); the route answers
    /// 404 to anything else in `/api/v2/silence/{id}`, as for an unknown id.
    public static func isSilenceID(_ text: String) -> Bool { UUID(uuidString: text) != nil }

    /// Reads a `POST /api/v2/silences` body received at `now`, checks it as Alertmanager does
    /// (every field of `postableSilence` present; at least one matcher, label names valid, at
    /// least one matcher that does not match the empty string; `startsAt` before `endsAt`,
    /// `endsAt` not in the past; a `startsAt` in the past is now), turns the matchers into the
    /// condition `rulec import` writes for them and compiles it against `checked` with
    /// `SilenceCompiler` under the posted `id` or `newID`. Bad input is 400 naming the field; an
    /// expression the compiler refuses (a bad regex) is 422 with its diagnostics.
    public static func readSilence(_ body: String, now: Int64, newID: String, for checked: CheckedPack) -> Result<AcceptedSilence, CompatProblem> {
        do throws(CompatProblem) {
            let posted = try decodeSilence(body)
            var startsAt = try time(posted.startsAt, "startsAt")
            let endsAt = try time(posted.endsAt, "endsAt")
            guard startsAt < endsAt else { throw CompatProblem(field: "endsAt", message: "start time must be before end time") }
            guard endsAt > now else { throw CompatProblem(field: "endsAt", message: "end time can't be in the past") }
            startsAt = max(startsAt, now)
            let matchers = try condition(posted.matchers)
            if let id = posted.id, !isSilenceID(id) { throw CompatProblem(field: "id", message: "must be a UUID, found `\(id.prefix(64))`") }
            let id = posted.id ?? newID
            let expression = MatcherCondition.condition(matchers)
            let (compiled, diagnostics) = SilenceCompiler.compile(expression, id: id, for: checked)
            guard let compiled else {
                let first = diagnostics.first(where: { $0.severity == .error })?.message ?? "the silence does not compile"
                throw CompatProblem(.unprocessable, field: "matchers", message: first, diagnostics: diagnostics)
            }
            let stored = StoredSilence(id: id, matchers: posted.matchers, startsAt: startsAt, endsAt: endsAt, createdBy: posted.createdBy,
                                       comment: posted.comment, updatedAt: now)
            return .success(AcceptedSilence(stored: stored, expression: expression, compiled: compiled, replaces: posted.id != nil))
        } catch {
            return .failure(error)
        }
    }

    /// The matchers as the import's matchers, checked as Alertmanager's silence validation
    /// checks them.
    static func condition(_ posted: [Matcher]) throws(CompatProblem) -> [MatcherCondition.Matcher] {
        guard !posted.isEmpty else { throw CompatProblem(field: "matchers", message: "at least one matcher is required") }
        var out: [MatcherCondition.Matcher] = []
        var someRejectsEmpty = false
        for (i, m) in posted.enumerated() {
            guard MatcherCondition.isLabelName(m.name) else {
                throw CompatProblem(field: "matchers.\(i).name", message: "invalid label name `\(m.name.prefix(64))`")
            }
            let equal = m.isEqual ?? true
            let op: MatcherCondition.Operator = m.isRegex ? (equal ? .regex : .notRegex) : (equal ? .equal : .notEqual)
            let matcher = MatcherCondition.Matcher(name: m.name, op: op, value: m.value)
            let test: MatcherTest
            do { test = try MatcherTest(matcher) } catch {
                throw CompatProblem(.unprocessable, field: "matchers.\(i).value", message: error.message)
            }
            if !test.matches("") { someRejectsEmpty = true }
            out.append(matcher)
        }
        guard someRejectsEmpty else {
            throw CompatProblem(field: "matchers", message: "at least one matcher must not match the empty string")
        }
        return out
    }

    static func decodeSilence(_ body: String) throws(CompatProblem) -> PostableSilence {
        guard let data = body.data(using: .utf8), let object = try? JSONSerialization.jsonObject(with: data) else {
            throw CompatProblem(field: nil, message: "not JSON")
        }
        guard let o = object as? [String: Any] else { throw CompatProblem(field: nil, message: "must be a silence object") }
        let known: Set<String> = ["id", "matchers", "startsAt", "endsAt", "createdBy", "comment"]
        if let unknown = o.keys.sorted().first(where: { !known.contains($0) }) {
            throw CompatProblem(field: unknown, message: "unknown field (known: \(known.sorted().joined(separator: ", ")))")
        }
        for key in ["matchers", "startsAt", "endsAt", "createdBy", "comment"] where o[key] == nil {
            throw CompatProblem(field: key, message: "required")
        }
        do {
            return try JSONDecoder().decode(PostableSilence.self, from: data)
        } catch let DecodingError.typeMismatch(type, context), let DecodingError.valueNotFound(type, context) {
            throw CompatProblem(field: path(context.codingPath), message: "must be \(typeName(type))")
        } catch let DecodingError.keyNotFound(key, context) {
            throw CompatProblem(field: path(context.codingPath + [key]), message: "required")
        } catch {
            throw CompatProblem(field: nil, message: "not a silence")
        }
    }

    static func path(_ keys: [any CodingKey]) -> String {
        keys.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
    }

    static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "a boolean"
        case is [Matcher].Type: "a list of matchers"
        default: "an object"
        }
    }

    static func time(_ text: String, _ field: String) throws(CompatProblem) -> Int64 {
        guard let ms = parseRFC3339(text) else {
            throw CompatProblem(field: field, message: "must be an RFC 3339 time such as 2026-01-01T00:00:00Z, found `\(text.prefix(64))`")
        }
        return ms
    }
}
