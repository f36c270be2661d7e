// The VM side of the predicate micro-benchmark (../shared/bench): reads the predicates in
// RuleLang with their alerts and expected results (spec.py --rulelang), checks every result,
// then times each predicate like bench.lua does (calibrated loop, warm-up, median of RUNS).
// usage: rulelang-bench PREDICATES.json [target_s] [runs]
//        rulelang-bench routes [target_s] [runs]   (time per alert to find its routes, 10…10,000 routes)
//        rulelang-bench engine [RULES_DIR] [ALERTS]  (alerts/s through the engine, memory, timers)
//        rulelang-bench labelset [RULES_DIR]   (ns per operation on an alert's labels)
//        rulelang-bench anomaly OUTDIR [sensitivity]   (the anomaly benchmark's streams and detections, for anomaly-score.py)
//        rulelang-bench hostile DIR   (writes the reported hostile packs for Benchmarks/hostile-check.sh)
// Output TSV, as the reference harnesses: peer  pred  ns_median  ns_min  ns_max  iters
import Foundation
import RuleCompiler
import RuleLang
import RuleVM

let args = CommandLine.arguments
if args.count >= 2 && args[1] == "engine" {
    EngineBench.run(rulesDir: args.count > 2 ? args[2] : "rules", alerts: args.count > 3 ? Int(args[3]) ?? 200_000 : 200_000)
    exit(0)
}
if args.count >= 3 && args[1] == "anomaly" { AnomalyBench.run(into: args[2], sensitivity: args.count > 3 ? Double(args[3]) : nil); exit(0) }
if args.count >= 3 && args[1] == "hostile" { HostileDump.run(into: args[2]); exit(0) }
if args.count >= 2 && args[1] == "labelset" { LabelSetBench.run(rulesDir: args.count > 2 ? args[2] : "rules"); exit(0) }
if args.count >= 2 && args[1] == "routes" {
    RouteScaling.run(targetSeconds: args.count > 2 ? Double(args[2]) ?? 0.2 : 0.2, runs: args.count > 3 ? Int(args[3]) ?? 5 : 5)
    exit(0)
}
guard args.count >= 2, let data = FileManager.default.contents(atPath: args[1]),
      let spec = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
      let alerts = spec["alerts"] as? [[String: Any]], let predicates = spec["predicates"] as? [[String: Any]] else {
    FileHandle.standardError.write(Data("usage: rulelang-bench PREDICATES.json [target_s] [runs]\n".utf8))
    exit(2)
}
let targetSeconds = args.count > 2 ? Double(args[2]) ?? 0.2 : 0.2
let runs = args.count > 3 ? Int(args[3]) ?? 7 : 7
let schema = spec["schema"] as? [String: String] ?? [:]

let inputs: [AlertInput] = alerts.map { a in
    let labels = a["labels"] as? [String: String] ?? [:]
    return AlertInput(labels: labels, severity: 1, value: (a["value"] as? NSNumber)?.doubleValue, fingerprint: "f", tenant: "bench")
}
let labelNames = Set(inputs.flatMap { $0.labels.keys }).sorted()

/// Checks and compiles one predicate as the single route of a pack with a label schema.
func compile(_ predicate: String) -> (VerifiedProgram, Int) {
    var yaml = "rulelang: 1\nlabels:\n"
    for n in labelNames { yaml += "  \(n): \(schema[n] ?? "string")\n" }
    yaml += "routes:\n  - name: p\n    when: '\(predicate.replacingOccurrences(of: "'", with: "''"))'\n"
    let (checked, diagnostics) = Frontend.check(tenant: "bench", files: [SourceFile(path: "bench.yaml", text: yaml)])
    let errors = diagnostics.filter { $0.severity == .error }
    guard errors.isEmpty else {
        FileHandle.standardError.write(Data(DiagnosticRenderer().text(errors).utf8))
        exit(1)
    }
    let pack = try! PackCompiler.compile(checked)
    return (pack.verified, pack.routes[0].entry)
}

func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

/// ns per evaluation over `outer` evaluations.
func timeOnce(_ outer: Int, _ body: () -> Bool) -> Double {
    var hits = 0
    let t0 = now()
    for _ in 0..<outer where body() { hits += 1 }
    let t1 = now()
    precondition(hits == outer, "unexpected result count")
    return Double(t1 - t0) / Double(outer)
}

/// Times `vm.matches(entry: entry)` in a tight loop: the only work per iteration is the evaluation.
func benchVM(_ peer: String, _ name: String, _ vm: VM, _ entry: Int, bindEach alert: AlertInput? = nil) {
    if let alert {
        bench(peer, name) {
            vm.bind(alert, now: 0)
            return vm.matches(entry: entry)
        }
        return
    }
    @inline(never) func loop(_ outer: Int) -> Double {
        var hits = 0
        let t0 = now()
        for _ in 0..<outer where vm.matches(entry: entry) { hits += 1 }
        let t1 = now()
        precondition(hits == outer, "unexpected result count")
        return Double(t1 - t0) / Double(outer)
    }
    var outer = 1024
    while true {
        let t = loop(outer) * Double(outer) / 1e9
        if t > 0.02 { outer = Int(Double(outer) * targetSeconds / t); break }
        outer *= 4
    }
    _ = loop(outer)
    let r = (0..<runs).map { _ in loop(outer) }.sorted()
    FileHandle.standardOutput.write(Data((peer + "\t" + name + String(format: "\t%.2f\t%.2f\t%.2f\t%d\n", r[runs / 2], r[0], r[runs - 1], outer)).utf8))
}

func bench(_ peer: String, _ name: String, _ body: () -> Bool) {
    var outer = 1024
    while true {
        let t = timeOnce(outer, body) * Double(outer) / 1e9
        if t > 0.02 { outer = Int(Double(outer) * targetSeconds / t); break }
        outer *= 4
    }
    _ = timeOnce(outer, body)
    let r = (0..<runs).map { _ in timeOnce(outer, body) }.sorted()
    FileHandle.standardOutput.write(Data((peer + "\t" + name + String(format: "\t%.2f\t%.2f\t%.2f\t%d\n", r[runs / 2], r[0], r[runs - 1], outer)).utf8))
}

var compiled: [(String, VerifiedProgram, Int)] = []
for p in predicates {
    let name = p["name"] as! String, source = p["rulelang"] as! String, expected = p["expected"] as! [Bool]
    let (program, entry) = compile(source)
    let vm = VM(program: program)
    for (i, alert) in inputs.enumerated() {
        vm.bind(alert, now: 0)
        let got = vm.matches(entry: entry)
        if got != expected[i] {
            FileHandle.standardError.write(Data("MISMATCH \(name) alert \(i + 1): got \(got), expected \(expected[i])\n".utf8))
            exit(1)
        }
    }
    compiled.append((name, program, entry))
}

// Call overhead: a predicate that is constant true.
let (trueProgram, trueEntry) = compile("true")
let overheadVM = VM(program: trueProgram)
overheadVM.bind(inputs[0], now: 0)
benchVM("rulelang-vm", "call-overhead", overheadVM, trueEntry)
for (name, program, entry) in compiled {
    let vm = VM(program: program)
    vm.bind(inputs[0], now: 0)
    benchVM("rulelang-vm", name, vm, entry)
}
for (name, program, entry) in compiled {
    benchVM("rulelang-vm+bind", name, VM(program: program), entry, bindEach: inputs[0])
}
