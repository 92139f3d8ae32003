import FramesCore
import XCTest

/// Asserts that `parse` fails with a 400 that blames `name` and names it in the detail.
func assertBadParameter<T>(_ name: String, _ label: String, file: StaticString = #filePath, line: UInt = #line,
                           _ parse: () throws(RequestError) -> T) {
    do {
        let accepted = try parse()
        XCTFail("\(label): accepted \(accepted)", file: file, line: line)
    } catch {
        guard case .badParameter(let blamed, let detail) = error else {
            return XCTFail("\(label): expected badParameter(\(name)), got \(error)", file: file, line: line)
        }
        XCTAssertEqual(blamed, name, "\(label): \(detail)", file: file, line: line)
        XCTAssertTrue(detail.contains(name), "\(label): the detail names the parameter: \(detail)", file: file, line: line)
        XCTAssertEqual(error.problem.status, .badRequest, label, file: file, line: line)
    }
}
