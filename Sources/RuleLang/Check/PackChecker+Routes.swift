/// The route tree: references, and the unreachable / identical / catch-all warnings.
extension PackChecker {
    mutating func checkRoutes() {
        checkRouteLevel(pack.routes, path: "routes")
        let hasCatchAll = pack.routes.contains { ConstantFolder.bool($0.when) == true }
        if !pack.routes.isEmpty, !hasCatchAll, let last = pack.routes.last {
            report(WarningCodes.noCatchAll, "no catch-all route: an alert no route matches is stored as unrouted", at: last.name.span,
                   label: "last top-level route", help: ["add a last route `{name: default, when: true, notify: [...]}`"])
        }
    }

    mutating func escalationRef(_ e: Name) {
        if declared.escalations.contains(e.text) || pack.brokenDeclarations.contains("escalation:" + e.text) { usedEscalations.insert(e.text); return }
        let near = exprs.nearest(to: e.text, count: pack.escalations.count) { pack.escalations.lazy.map(\.name.text) }
        // The escalation a misspelling was meant for is not also reported as never used.
        if let near { usedEscalations.insert(near) }
        report(NameCodes.unknownEscalation, "unknown escalation `\(e.text)`", at: e.span, label: "not declared",
               help: (near.map { ["did you mean `\($0)`?"] } ?? []) + (pack.escalations.isEmpty ? ["declare it under `escalations:`"] : []))
    }

    mutating func windowRefs(_ windows: [Name]) {
        for w in windows {
            if declared.windows.contains(w.text) || pack.brokenDeclarations.contains("window:" + w.text) { exprs.usedNames.insert("window:" + w.text); continue }
            let near = exprs.nearest(to: w.text, count: pack.windows.count) { pack.windows.lazy.map(\.name.text) }
            if let near { exprs.usedNames.insert("window:" + near) }
            report(NameCodes.unknownWindow, "unknown time window `\(w.text)`", at: w.span, label: "not declared",
                   help: (near.map { ["did you mean `\($0)`?"] } ?? []) + (pack.windows.isEmpty ? ["declare it under `time_windows:`"] : []))
        }
    }

    private mutating func checkRouteLevel(_ routes: [Route], path: String) {
        var catchAll: Route?
        var seen: [String: Route] = [:]
        for r in routes {
            let when = exprs.condition(r.when, "`when`")
            addRule(.route, r.name, [("when", when)])
            channelRefs(r.notify ?? [], "route `\(r.name.text)`")
            channelRefs(r.failover ?? [], "route `\(r.name.text)`")
            if let e = r.escalation { escalationRef(e) }
            windowRefs([r.activeDuring, r.muteDuring].compactMap { $0 })
            if case .labels(let names)? = r.groupBy { checkLabelNames(names, "`group_by`") }
            let folded = ConstantFolder.bool(r.when)
            let canonical = ASTPrinter.print(r.when)
            if let c = catchAll {
                report(WarningCodes.unreachableRoute, "route `\(r.name.text)` is unreachable", at: r.name.span,
                       label: "never tried", notes: [DiagnosticNote(span: c.name.span, label: "this earlier route matches every alert and has no `continue`")],
                       help: ["move it before `\(c.name.text)`, or give `\(c.name.text)` `continue: true`"])
            } else if folded == false {
                report(WarningCodes.unreachableRoute, "route `\(r.name.text)` is unreachable: its condition is always false",
                       at: r.when.span, label: "always false")
            } else if let earlier = seen[canonical], !earlier.continue, !r.when.hasError {
                report(WarningCodes.duplicateRoute, "route `\(r.name.text)` has the same condition as `\(earlier.name.text)`",
                       at: r.when.span, label: "same condition", notes: [DiagnosticNote(span: earlier.when.span, label: "first here, without `continue`")],
                       help: ["the earlier route takes every alert this one would: merge them or give the first `continue: true`"])
            }
            if seen[canonical] == nil { seen[canonical] = r }
            if folded == true, !r.continue, catchAll == nil { catchAll = r }
            checkRouteLevel(r.children, path: path + "/" + r.name.text)
        }
    }
}

/// Folds boolean constants for the route warnings (the compiler's full folder comes later).
enum ConstantFolder {
    /// The constant value of a condition, when it has one without evaluating anything that
    /// depends on the alert.
    static func bool(_ e: Expr) -> Bool? {
        switch e.kind {
        case .literal(.bool(let b)): return b
        case .unary(.not, let x): return bool(x).map { !$0 }
        case .binary(.and, let a, let b):
            let x = bool(a), y = bool(b)
            if x == false || y == false { return false }
            if x == true && y == true { return true }
            return nil
        case .binary(.or, let a, let b):
            let x = bool(a), y = bool(b)
            if x == true || y == true { return true }
            if x == false && y == false { return false }
            return nil
        case .binary(let op, let a, let b) where op == .eq || op == .ne:
            guard case .literal(let x) = a.kind, case .literal(let y) = b.kind else { return nil }
            let same = ASTPrinter.literal(x) == ASTPrinter.literal(y)
            return op == .eq ? same : !same
        default:
            return nil
        }
    }
}
