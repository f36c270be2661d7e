/// Every diagnostic code, one catalog per phase. docs/diagnostics.md documents each one and
/// a test checks that each appears in at least one golden case.
public enum DiagnosticCatalog {
    public static let all: [DiagnosticCode] =
        YamlCodes.all + SyntaxCodes.all + NameCodes.all + TypeCodes.all + PackCodes.all + RuntimeCodes.all + WarningCodes.all
}

/// Reading files and YAML structure (E00xx).
enum YamlCodes {
    static let syntax = DiagnosticCode("E0001", .error, "YAML syntax error")
    static let alias = DiagnosticCode("E0002", .error, "YAML anchors and aliases are not allowed")
    static let duplicateKey = DiagnosticCode("E0003", .error, "duplicate key")
    static let unknownKey = DiagnosticCode("E0004", .error, "unknown key")
    static let notUTF8 = DiagnosticCode("E0005", .error, "file is not valid UTF-8")
    static let tooLarge = DiagnosticCode("E0006", .error, "file too large")
    static let shape = DiagnosticCode("E0007", .error, "wrong YAML shape")
    static let missingKey = DiagnosticCode("E0008", .error, "missing required key")
    static let version = DiagnosticCode("E0009", .error, "missing or unsupported `rulelang` version")
    static let io = DiagnosticCode("E0010", .error, "cannot read path")
    static let invalidValue = DiagnosticCode("E0011", .error, "invalid value")
    static let badDuration = DiagnosticCode("E0012", .error, "bad duration")
    static let tooDeep = DiagnosticCode("E0013", .error, "YAML nested too deeply")
    static let all = [syntax, alias, duplicateKey, unknownKey, notUTF8, tooLarge, shape, missingKey,
                      version, io, invalidValue, badDuration, tooDeep]
}

/// Lexing and parsing expressions and templates (E01xx).
enum SyntaxCodes {
    static let badCharacter = DiagnosticCode("E0101", .error, "unexpected character")
    static let unterminatedString = DiagnosticCode("E0102", .error, "unterminated string")
    static let badEscape = DiagnosticCode("E0103", .error, "invalid escape sequence")
    static let expected = DiagnosticCode("E0104", .error, "unexpected token")
    static let chainedComparison = DiagnosticCode("E0105", .error, "comparison operators do not chain")
    static let tooDeep = DiagnosticCode("E0106", .error, "expression nested too deeply")
    static let badNumber = DiagnosticCode("E0107", .error, "invalid number literal")
    static let unterminatedTemplate = DiagnosticCode("E0108", .error, "unterminated template")
    static let all = [badCharacter, unterminatedString, badEscape, expected, chainedComparison, tooDeep,
                      badNumber, unterminatedTemplate]
}

/// Resolving names (E02xx).
enum NameCodes {
    static let unknownName = DiagnosticCode("E0201", .error, "unknown name")
    static let unknownFunction = DiagnosticCode("E0202", .error, "unknown function")
    static let unknownChannel = DiagnosticCode("E0203", .error, "unknown channel")
    static let unknownEscalation = DiagnosticCode("E0204", .error, "unknown escalation")
    static let unknownWindow = DiagnosticCode("E0205", .error, "unknown time window")
    static let macroCycle = DiagnosticCode("E0206", .error, "macro cycle")
    static let duplicateName = DiagnosticCode("E0207", .error, "duplicate name")
    static let itOutside = DiagnosticCode("E0208", .error, "`it` outside `any` or `all`")
    static let unknownInTest = DiagnosticCode("E0209", .error, "test names an unknown thing")
    static let unknownField = DiagnosticCode("E0210", .error, "unknown member")
    static let unknownLabel = DiagnosticCode("E0211", .error, "unknown label in `by`, `group_by` or `equal`")
    static let all = [unknownName, unknownFunction, unknownChannel, unknownEscalation, unknownWindow,
                      macroCycle, duplicateName, itOutside, unknownInTest, unknownField, unknownLabel]
}

/// Types, functions, regexes and cost (E03xx).
enum TypeCodes {
    static let mismatch = DiagnosticCode("E0301", .error, "type mismatch")
    static let arity = DiagnosticCode("E0302", .error, "wrong number of arguments")
    static let aggregateContext = DiagnosticCode("E0303", .error, "aggregate outside a correlate condition or emit")
    static let badRegex = DiagnosticCode("E0304", .error, "invalid regular expression")
    static let regexNotLiteral = DiagnosticCode("E0305", .error, "regex operand is not a literal")
    static let notSeverity = DiagnosticCode("E0306", .error, "string is not a severity")
    static let notInEnum = DiagnosticCode("E0307", .error, "value not in the label's enum")
    static let overBudget = DiagnosticCode("E0308", .error, "rule over its cost budget")
    static let stackTooDeep = DiagnosticCode("E0311", .error, "rule needs more stack than the vm has")
    static let vmLimit = DiagnosticCode("E0312", .error, "pack needs more than the vm can address")
    static let all = [mismatch, arity, aggregateContext, badRegex, regexNotLiteral, notSeverity, notInEnum,
                      overBudget, stackTooDeep, vmLimit]
}

/// Pack-level rules: channels, escalations, windows, tenants (E04xx).
enum PackCodes {
    static let tooManyLevels = DiagnosticCode("E0401", .error, "too many escalation levels")
    static let afterNotIncreasing = DiagnosticCode("E0402", .error, "escalation `after` not strictly increasing")
    static let channelField = DiagnosticCode("E0403", .error, "channel missing a field its type needs")
    static let badSecret = DiagnosticCode("E0404", .error, "malformed secret reference")
    static let unsetSecret = DiagnosticCode("E0405", .error, "secret not set")
    static let badTimezone = DiagnosticCode("E0406", .error, "unknown time zone")
    static let badTenant = DiagnosticCode("E0407", .error, "invalid tenant")
    static let tierTwice = DiagnosticCode("E0408", .error, "tier set in more than one file")
    static let noFiles = DiagnosticCode("E0409", .error, "no rule files")
    static let all = [tooManyLevels, afterNotIncreasing, channelField, badSecret, unsetSecret, badTimezone,
                      badTenant, tierTwice, noFiles]
}

/// Evaluating compiled rules (E05xx): rendered like compile errors, with the rule's span.
public enum RuntimeCodes {
    static let error = DiagnosticCode("E0501", .error, "run-time error in a rule")
    static let all = [error]
}

/// Warnings (W00xx): accepted, but probably not what the author meant.
enum WarningCodes {
    static let unreachableRoute = DiagnosticCode("W0001", .warning, "unreachable route")
    static let duplicateRoute = DiagnosticCode("W0002", .warning, "route identical to an earlier one")
    static let unused = DiagnosticCode("W0003", .warning, "declared but never used")
    static let noCatchAll = DiagnosticCode("W0004", .warning, "no catch-all route")
    static let severityString = DiagnosticCode("W0005", .warning, "severity compared with a string")
    static let nearName = DiagnosticCode("W0006", .warning, "name close to a declared one")
    static let unsetSecret = DiagnosticCode("W0007", .warning, "secret not set")
    static let bareNameCompared = DiagnosticCode("W0008", .warning, "bare name compared as a label")
    static let unmentionedLabel = DiagnosticCode("W0009", .warning, "grouping label mentioned nowhere else")
    static let onlyOptimized = DiagnosticCode("W0010", .warning, "fits the vm only when optimized")
    static let all = [unreachableRoute, duplicateRoute, unused, noCatchAll, severityString, nearName, unsetSecret,
                      bareNameCompared, unmentionedLabel, onlyOptimized]
}
