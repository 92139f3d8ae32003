import PostgresClient
import XCTest

final class PostgresErrorTests: XCTestCase {
    private func statement(_ code: String) -> PostgresError { .statement(SQLState(rawValue: code), message: "m") }

    func testConnectionProblemsCallForANewConnection() {
        for error in [PostgresError.connectionFailed("refused"), .connectionLost("eof"), statement("08006"),
                      statement("57P01"), statement("57P03")] {
            XCTAssertTrue(error.isConnectionProblem, "\(error)")
            XCTAssertTrue(error.isTransient, "\(error)")
        }
    }

    func testResourceAndContentionErrorsAreWorthRetryingLaterOnTheSameConnection() {
        for code in ["53100", "53200", "57014", "55P03", "40001", "40P01"] {
            XCTAssertFalse(statement(code).isConnectionProblem, code)
            XCTAssertTrue(statement(code).isTransient, code)
        }
    }

    func testRejectedStatementsAreNotRetried() {
        for error in [statement("23505"), statement("42P01"), statement("22P02"), .unexpectedResult("no row")] {
            XCTAssertFalse(error.isTransient, "\(error)")
        }
        XCTAssertEqual(statement("42P01").sqlState, .undefinedTable)
        XCTAssertNil(PostgresError.connectionLost("x").sqlState)
    }
}
