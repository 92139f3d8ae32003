import FramesCore
import XCTest

final class StreamBudgetTests: XCTestCase {
    func testTheWriteWaitShrinksToTheBudgetsEnd() {
        let budget = StreamBudget(seconds: 10, startedAt: 100)
        XCTAssertEqual(budget.writeWait(at: 100), 10)
        XCTAssertEqual(budget.writeWait(at: 107.5), 2.5)
        XCTAssertFalse(budget.isSpent(at: 109.9))
        XCTAssertTrue(budget.isSpent(at: 110))
    }

    func testASpentBudgetStillGivesAPositiveWaitBecauseZeroMeansForever() {
        let budget = StreamBudget(seconds: 2, startedAt: 0)
        XCTAssertEqual(budget.writeWait(at: 5), 0.001)
    }

    func testZeroSecondsIsNoBound() {
        let budget = StreamBudget(seconds: 0, startedAt: 0)
        XCTAssertNil(budget.writeWait(at: 1e9))
        XCTAssertFalse(budget.isSpent(at: 1e9))
    }
}
