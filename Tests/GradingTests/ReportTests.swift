import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import Grading
import Testing
import TestSupport

@Suite(.tags(.slow)) struct ReportTests {
    static let graded: (pass: SubmissionGrade, fail: SubmissionGrade, broken: SubmissionGrade) = {
        let p = Fixtures.grade(try! Fixtures.build("pass"))
        let f = Fixtures.grade(try! Fixtures.build("fail-ex2"))
        let b = Fixtures.grade(try! Fixtures.build("malformed-yaml"))
        return (p, f, b)
    }()

    @Test func markdownTable() {
        let md = GradeReport.markdown(Self.graded.fail)
        #expect(md.contains("| check | computed | reported | threshold | verdict | evidence |"))
        for c in Fixtures.smallRubric.checks { #expect(md.contains("`\(c.id)`")) }
        #expect(md.contains("**1 required check failed**"))
        #expect(md.contains("not statistically significant at α = 0.05 (Holm)"))
        #expect(GradeReport.markdown(Self.graded.broken).contains("**Malformed submission** (exit 2)"))
    }

    @Test func json() throws {
        let obj = try JSONSerialization.jsonObject(with: Data(GradeReport.json(Self.graded.fail).utf8)) as! [String: Any]
        #expect(obj["exit_code"] as? Int == 1 && obj["status"] as? String == "graded")
        let checks = obj["checks"] as! [[String: Any]]
        #expect(checks.count == Fixtures.smallRubric.checks.count)
        let ex2 = checks.first { $0["id"] as? String == "ex2.full_better" }!
        #expect(ex2["verdict"] as? String == "fail")
        let stats = ex2["statistics"] as! [String: Any]
        #expect(stats["test"] as? String == "paired_bootstrap" && stats["alpha"] as? Double == 0.05)
        let comps = stats["comparisons"] as! [[String: Any]]
        #expect(comps.count == 2 && comps.contains { $0["significant"] as? Bool == false })
        #expect((obj["accuracies"] as! [Any]).count == 8 && (obj["datasets"] as! [Any]).count == 1)
        let many = try JSONSerialization.jsonObject(with: Data(GradeReport.json([Self.graded.pass, Self.graded.broken], rubric: "small-course").utf8)) as! [String: Any]
        #expect(many["exit_code"] as? Int == 2 && (many["submissions"] as! [Any]).count == 2)
    }

    @Test func junit() throws {
        let text = GradeReport.junit([Self.graded.pass, Self.graded.fail, Self.graded.broken])
        let doc = try XMLDocument(xmlString: text)
        let suites = try doc.nodes(forXPath: "/testsuites/testsuite")
        #expect(suites.count == 3)
        let cases = try doc.nodes(forXPath: "/testsuites/testsuite[1]/testcase")
        #expect(cases.count == Fixtures.smallRubric.checks.count)
        let failures = try doc.nodes(forXPath: "/testsuites/testsuite[2]/testcase/failure")
        #expect(failures.count == 1)
        let failed = try doc.nodes(forXPath: "/testsuites/testsuite[2]/testcase[failure]/@name")
        #expect(failed.first?.stringValue == "ex2.full_better")
        #expect(try doc.nodes(forXPath: "/testsuites/testsuite[3]/testcase/error").count == 1)
        let root = doc.rootElement()!
        #expect(root.attribute(forName: "failures")?.stringValue == "1" && root.attribute(forName: "errors")?.stringValue == "1")
    }

    @Test func htmlWithTrainingCurves() throws {
        let g = Self.graded.pass
        let html = GradeReport.html(g)
        #expect(g.curves.count == 5)
        // One chart with every curve, then one per model.
        #expect(html.components(separatedBy: "<svg").count - 1 == 6)
        #expect(html.components(separatedBy: "<polyline").count - 1 == 10)
        let svg = GradeReport.curvesSVG(g.curves)
        _ = try XMLDocument(xmlString: svg)
        #expect(svg.contains("held-out metric (points)") && svg.contains("wall time (hours)"))
    }
}
