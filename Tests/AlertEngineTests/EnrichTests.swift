import Testing
import AlertEngine
import RuleVM

/// What enrich rules leave on the alert the engine keeps: labels and `annotations.x` apart,
/// in rule order (a later set of a name wins), the alert's own values replaced.
@Suite struct EnrichTests {
    static let pack = """
    rulelang: 1
    enrich:
      - name: first
        when: true
        set:
          owner: "team-{{ service }}"
          annotations.runbook: "https://runbooks.example.invalid/{{ service }}"
          annotations.summary: "replaced"
      - name: second
        when: service == "api"
        set:
          owner: "api-team"
          tier_label: "gold"
    routes:
      - {name: all, when: true}
    """

    @Test func labelsAndAnnotationsEachGetTheirSets() {
        var e = engine(Self.pack)
        var a = alert(["alertname": "Down", "service": "api"])
        a.annotations = ["summary": "from the sender", "note": "kept"]
        _ = e.receive(a, at: 0)
        let kept = e.state.alerts[1]
        #expect(kept?.labels.dictionary == ["alertname": "Down", "service": "api", "owner": "api-team", "tier_label": "gold"])
        #expect(kept?.annotations.dictionary == ["summary": "replaced", "note": "kept",
                                                 "runbook": "https://runbooks.example.invalid/api"])
        #expect(kept?.labels.keys == ["alertname", "owner", "service", "tier_label"])
    }

    @Test func withoutAnnotationSetsTheSendersAnnotationsStayAsTheyAre() {
        var e = engine("""
        rulelang: 1
        enrich:
          - {name: only-labels, when: true, set: {owner: "x"}}
        routes:
          - {name: all, when: true}
        """)
        var a = alert(["alertname": "Down"])
        a.annotations = ["summary": "s"]
        _ = e.receive(a, at: 0)
        #expect(e.state.alerts[1]?.annotations.dictionary == ["summary": "s"])
        #expect(e.state.alerts[1]?.labels.dictionary == ["alertname": "Down", "owner": "x"])
    }

    /// A set whose template fails at run time sets nothing (the error is recorded); the sets
    /// before and after it in the same rule still apply (each seeing the labels as they were
    /// before the rule), and later rules see them.
    @Test func aFailingSetLeavesTheOthersOfItsRule() {
        var e = engine("""
        rulelang: 1
        enrich:
          - name: three
            when: true
            set:
              a: "{{ service }}-1"
              b: "{{ 10 / int(labels.zero) }}"
              c: "{{ a ?? 'none' }}-3"
          - {name: after, when: 'c == "none-3"', set: {d: "{{ a }}+{{ c }}"}}
        routes:
          - {name: all, when: true}
        """)
        _ = e.receive(alert(["alertname": "Down", "service": "api", "zero": "0"]), at: 0)
        #expect(e.state.alerts[1]?.labels.dictionary == ["alertname": "Down", "service": "api", "zero": "0",
                                                         "a": "api-1", "c": "none-3", "d": "api-1+none-3"])
    }

    /// A set that leaves its label as it was (a normalizing rule on a normal value) changes
    /// nothing, and the rules after it see the label as it is (a macro the rules share included).
    /// A set that does change it is seen by the rules after it, macros recomputed.
    @Test func aSetThatChangesNothingLeavesTheLabelAsItIs() {
        var e = engine("""
        rulelang: 1
        macros:
          is_adyen: psp == "adyen"
        enrich:
          - {name: before, when: is_adyen, set: {seen: "{{ psp }}"}}
          - {name: normalize, when: exists(psp), set: {psp: "{{ lower(psp) }}"}}
          - {name: after, when: is_adyen, set: {after: "{{ psp }}"}}
          - {name: rename, when: is_adyen, set: {psp: "stripe"}}
          - {name: last, when: 'is_adyen or psp == "stripe"', set: {last: "{{ is_adyen }}/{{ psp }}"}}
        routes:
          - {name: all, when: true}
        """)
        _ = e.receive(alert(["alertname": "Down", "psp": "adyen"]), at: 0)
        #expect(e.state.alerts[1]?.labels.dictionary == ["alertname": "Down", "psp": "stripe", "seen": "adyen",
                                                         "after": "adyen", "last": "false/stripe"])
        _ = e.receive(alert(["alertname": "Down", "psp": "ADYEN"]), at: 1)
        #expect(e.state.alerts[2]?.labels.dictionary == ["alertname": "Down", "psp": "stripe", "after": "adyen",
                                                         "last": "false/stripe"])
    }
}
