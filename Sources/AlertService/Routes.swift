import AlertEngine
import Foundation
import Hummingbird
import RuleRuntime
import RuleVM
import RuleText
import ServiceStore

/// The HTTP routes: health, then the native alert API; every handler answers through `answer`,
/// so every error renders from the catalog.
extension AlertService {
    func router() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.get("/healthz") { _, _ in Self.json(.ok, ["status": .string("ok")]) }
        router.get("/readyz") { [registry] _, _ in
            registry.ready ? Self.json(.ok, ["status": .string("ready")]) : Self.error(ServiceError(.notReady, "loading packs"))
        }
        let alerts = router.group("/api/v1/critical-alerts")
        alerts.post { request, _ in await self.answer { try await self.ingestOne(request) } }
        alerts.post("/bulk") { request, _ in await self.answer { try await self.ingestBulk(request) } }
        alerts.get { request, _ in await self.answer { try await self.list(request) } }
        alerts.get("/:id") { request, context in await self.answer { try await self.show(request, context) } }
        alerts.put("/:id/escalate") { request, context in await self.answer { try await self.lifecycle(.escalate, request, context) } }
        alerts.post("/:id/ack") { request, context in await self.answer { try await self.lifecycle(.acknowledge, request, context) } }
        alerts.post("/:id/resolve") { request, context in await self.answer { try await self.lifecycle(.resolve, request, context) } }
        return router
    }

    /// The handler's response, or its error rendered from the catalog (a body over its limit
    /// is 413; anything unexpected 500, logged).
    func answer(_ body: () async throws -> Response) async -> Response {
        do {
            return try await body()
        } catch let e as ServiceError {
            return Self.error(e)
        } catch let e as HTTPResponseError where e.status == .contentTooLarge {
            return Self.error(ServiceError(.tooLarge, "the body is over this route's limit", field: "(body)"))
        } catch {
            logger.error("request failed", metadata: ["error": .string("\(error)")])
            return Self.error(ServiceError(.storeFailed, "internal error"))
        }
    }

    static func json(_ status: HTTPResponse.Status, _ object: JSONObject) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: JSONOut.render(object))))
    }

    static func error(_ e: ServiceError) -> Response {
        var r = json(e.code.status, e.body)
        if let s = e.retryAfter { r.headers[.retryAfter] = String(s) }
        return r
    }

    /// The caller of a tenant route: its key's tenant, whose engine is running.
    func tenantCaller(_ request: Request) throws -> (Caller, TenantEngine) {
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else {
            throw ServiceError(.unauthorized, "an `Authorization: Bearer <key>` header is required")
        }
        guard let caller = keys.caller(for: String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces)) else {
            throw ServiceError(.unauthorized, "the key is not known")
        }
        guard let tenant = caller.tenant else { throw ServiceError(.forbidden, "an admin key has no tenant: use a tenant's key") }
        guard registry.ready else { throw ServiceError(.notReady, "the service is loading its packs") }
        guard let engine = registry.engine(tenant) else {
            let why = registry.refused(tenant).map { ": its pack was refused (\($0.firstCode))" } ?? ""
            throw ServiceError(.notReady, "tenant `\(tenant)` has no pack loaded\(why)")
        }
        return (caller, engine)
    }

    /// The body as UTF-8 text, at most `limit` bytes.
    func text(_ request: Request, limit: Int) async throws -> String {
        let buffer = try await request.body.collect(upTo: limit)
        guard let text = String(bytes: buffer.readableBytesView, encoding: .utf8) else {
            throw ServiceError(.badRequest, "the body is not valid UTF-8", field: "(body)")
        }
        return text
    }

    static func badRequest(_ p: AlertJSON.Problem, prefix: String = "") -> ServiceError {
        ServiceError(.badRequest, "`\(prefix)\(p.field)`: \(p.message)", field: prefix + p.field)
    }

    func ingestOne(_ request: Request) async throws -> Response {
        let (caller, engine) = try tenantCaller(request)
        let body = try await text(request, limit: config.maxBodyBytes)
        let input: AlertInput
        switch AlertJSON.parse(body, tenant: engine.tenant.name, tier: "", limits: limits) {
        case .success(let a): input = a
        case .failure(let p): throw Self.badRequest(p)
        }
        let result = try await engine.ingest([input], actor: caller.actor)[0]
        return Self.json(.created, AlertView.ingest(result))
    }

    var limits: AlertJSON.Limits {
        var l = AlertJSON.Limits()
        l.maxBodyBytes = config.maxBodyBytes
        return l
    }

    /// `POST …/bulk`: a JSON array of alerts; each valid one is ingested (in order), each bad
    /// one answered with its own error, and the request answers 200 with a result per item.
    func ingestBulk(_ request: Request) async throws -> Response {
        let (caller, engine) = try tenantCaller(request)
        let body = try await text(request, limit: config.maxBulkBodyBytes)
        guard let object = try? JSONSerialization.jsonObject(with: Data(body.utf8), options: [.fragmentsAllowed]) else {
            throw ServiceError(.badRequest, "the body is not JSON", field: "(body)")
        }
        guard let items = object as? [Any] else { throw ServiceError(.badRequest, "the body must be a JSON array of alerts", field: "(body)") }
        guard items.count <= config.maxBulkItems else {
            throw ServiceError(.badRequest, "\(items.count) alerts, over the limit of \(config.maxBulkItems) per request", field: "(body)")
        }
        var outcomes: [Result<Int, ServiceError>] = []
        var inputs: [AlertInput] = []
        for (i, item) in items.enumerated() {
            guard JSONSerialization.isValidJSONObject(item), let data = try? JSONSerialization.data(withJSONObject: item),
                  let text = String(data: data, encoding: .utf8) else {
                outcomes.append(.failure(ServiceError(.badRequest, "`[\(i)]`: must be an object", field: "[\(i)]")))
                continue
            }
            switch AlertJSON.parse(text, tenant: engine.tenant.name, tier: "", limits: limits) {
            case .success(let a):
                outcomes.append(.success(inputs.count))
                inputs.append(a)
            case .failure(let p): outcomes.append(.failure(Self.badRequest(p, prefix: "[\(i)].")))
            }
        }
        let results = inputs.isEmpty ? [] : try await engine.ingest(inputs, actor: caller.actor)
        let answers = outcomes.enumerated().map { i, o -> JSONOut in
            switch o {
            case .success(let k):
                var r = AlertView.ingest(results[k])
                r["index"] = .int(i)
                r["code"] = .int(201)
                return .object(r)
            case .failure(let e):
                var r = e.body
                r["index"] = .int(i)
                r["code"] = .int(Int(e.code.status.code))
                return .object(r)
            }
        }
        return Self.json(.ok, ["results": .array(answers), "accepted": .int(inputs.count), "rejected": .int(answers.count - inputs.count)])
    }

    /// The `{id}` of the path: a positive whole number, else 404 (no such alert).
    static func alertID(_ context: BasicRequestContext) throws -> Int {
        guard let text = context.parameters.get("id"), let id = Int(text), id > 0 else {
            throw ServiceError(.notFound, "no such alert")
        }
        return id
    }

    func show(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let (_, engine) = try tenantCaller(request)
        let id = try Self.alertID(context)
        guard let row = try await backend.alert(engine.tenant, id: id) else { throw ServiceError(.notFound, "no alert `\(id)`") }
        var o = AlertView.alert(row)
        o["timeline"] = AlertView.timeline(try await backend.timeline(engine.tenant, alertID: id))
        return Self.json(.ok, o)
    }

    func lifecycle(_ kind: LifecycleKind, _ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let (caller, engine) = try tenantCaller(request)
        let id = try Self.alertID(context)
        switch try await engine.lifecycle(kind, id: id, actor: caller.actor) {
        case .done(let alert?): return Self.json(.ok, AlertView.alert(alert))
        case .done(nil), .notOpen:
            // Not open: resolved (nothing to do; its record answers) or unknown to this tenant.
            guard let row = try await backend.alert(engine.tenant, id: id) else { throw ServiceError(.notFound, "no alert `\(id)`") }
            return Self.json(.ok, AlertView.alert(row))
        }
    }

    /// `GET /api/v1/critical-alerts?status=&severity=&label=name=value&limit=&cursor=`.
    func list(_ request: Request) async throws -> Response {
        let (_, engine) = try tenantCaller(request)
        let params = request.uri.queryParameters
        var q = AlertQuery()
        if let s = params["status"].map(String.init) {
            guard ["firing", "acknowledged", "resolved"].contains(s) else {
                throw ServiceError(.badRequest, "`status` must be firing, acknowledged or resolved, found `\(s.prefix(64))`", field: "status")
            }
            q.status = s
        }
        if let s = params["severity"].map(String.init) {
            guard let i = ["info", "warning", "error", "critical"].firstIndex(of: s) else {
                throw ServiceError(.badRequest, "`severity` must be info, warning, error or critical, found `\(s.prefix(64))`", field: "severity")
            }
            q.severity = i
        }
        for l in params.getAll("label") {
            guard let eq = l.firstIndex(of: "="), LabelNames.isValid(String(l[..<eq])) else {
                throw ServiceError(.badRequest, "`label` must be name=value with a label name `[A-Za-z_][A-Za-z0-9_]*`, found `\(l.prefix(64))`", field: "label")
            }
            q.labels.append((String(l[..<eq]), String(l[l.index(after: eq)...])))
        }
        if let s = params["limit"] {
            guard let n = Int(s), (1...500).contains(n) else { throw ServiceError(.badRequest, "`limit` must be 1 to 500, found `\(s.prefix(64))`", field: "limit") }
            q.limit = n
        }
        if let s = params["cursor"] {
            guard let n = Int(s), n > 0 else { throw ServiceError(.badRequest, "`cursor` must be a cursor this list returned", field: "cursor") }
            q.before = n
        }
        let page = try await backend.alerts(engine.tenant, q)
        return Self.json(.ok, ["alerts": .array(page.alerts.map { .object(AlertView.alert($0)) }),
                               "next_cursor": .optional(page.next.map(String.init))])
    }
}
