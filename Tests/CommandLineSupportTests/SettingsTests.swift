import ArgumentParser
@testable import CommandLineSupport
import XCTest

/// A table like the binaries' own: options with variables, a variable alone, a default worked out from
/// another setting, and an optional text.
private struct SampleSettings: SettingTable {
    let count = Setting<Int>(flag: "count", variable: "SAMPLE_COUNT", valueName: "n", summary: "How many.",
                             default: .value(3), parser: .wholeNumber(), installed: "3", details: "Three by default.")
    let pool = Setting<Int>(flag: nil, variable: "SAMPLE_POOL", valueName: "n", summary: "The pool.",
                            default: .value(0), parser: .wholeNumber(), installed: nil, details: "")
    let half = Setting<Int>(flag: "half", variable: "SAMPLE_HALF", valueName: "n", summary: "Half of it.",
                            default: .derived("half of $SAMPLE_POOL") { values throws(ValidationError) in
                                try values.value(of: SampleSettings().pool) / 2
                            },
                            parser: .wholeNumber(), installed: nil, details: "")
    let name = Setting<String?>(flag: "name", variable: "SAMPLE_NAME", valueName: "name", summary: "A name.",
                                default: .none(), parser: .nonEmptyText, installed: "", details: "")

    init() {}
}

private struct SampleCommand: ParsableCommand {
    @OptionGroup var settings: SettingOptions<SampleSettings>
    @Option var other: String?
}

final class SettingsTests: XCTestCase {
    private let table = SampleSettings()

    private func values(_ arguments: [String], _ environment: [String: String] = [:]) throws -> SettingValues {
        try SampleCommand.parse(arguments).settings.values(environment: environment)
    }

    private func refusal<Value>(of setting: Setting<Value>, _ values: SettingValues) -> String? {
        do throws(ValidationError) {
            _ = try values.value(of: setting)
            return nil
        } catch {
            return error.message
        }
    }

    func testAnOptionWinsOverItsVariableWhichWinsOverTheDefault() throws {
        XCTAssertEqual(try values([]).value(of: table.count), 3)
        XCTAssertEqual(try values([], ["SAMPLE_COUNT": "5"]).value(of: table.count), 5)
        XCTAssertEqual(try values(["--count", "7"], ["SAMPLE_COUNT": "5"]).value(of: table.count), 7)
        XCTAssertEqual(try values(["--count=8", "--other", "x"]).value(of: table.count), 8)
    }

    func testADerivedDefaultReadsTheSettingItComesFrom() throws {
        XCTAssertEqual(try values([]).value(of: table.half), 0)
        XCTAssertEqual(try values([], ["SAMPLE_POOL": "9"]).value(of: table.half), 4)
        XCTAssertEqual(try values(["--half", "1"], ["SAMPLE_POOL": "9"]).value(of: table.half), 1)
    }

    func testABadValueIsRefusedUnderTheNameTheUserGaveIt() throws {
        XCTAssertEqual(refusal(of: table.count, try values([], ["SAMPLE_COUNT": "-1"])),
                       "SAMPLE_COUNT takes a whole number, not `-1`")
        XCTAssertEqual(refusal(of: table.count, try values(["--count", "many"], ["SAMPLE_COUNT": "2"])),
                       "--count takes a whole number, not `many`")
        // A default worked out from a bad variable names that variable.
        XCTAssertEqual(refusal(of: table.half, try values([], ["SAMPLE_POOL": "x"])),
                       "SAMPLE_POOL takes a whole number, not `x`")
    }

    func testAVariableAloneIsNoOption() {
        XCTAssertThrowsError(try SampleCommand.parse(["--pool", "2"])) { error in
            XCTAssertTrue(SampleCommand.message(for: error).contains("Unknown option '--pool'"))
        }
    }

    func testTheHelpShowsEachOptionWithItsVariableAndDefault() {
        let help = SampleCommand.helpMessage(columns: 200)
        XCTAssertTrue(help.contains("--count <n>") && help.contains("How many. Default: $SAMPLE_COUNT, else 3."), help)
        XCTAssertTrue(help.contains("Half of it. Default: $SAMPLE_HALF, else half of $SAMPLE_POOL."), help)
        XCTAssertTrue(help.contains("A name. Default: $SAMPLE_NAME.\n"), help)
        XCTAssertFalse(help.contains("--pool"), help)
    }

    func testTheDeclarationsAreTheTablesPropertiesInTheirOrder() {
        XCTAssertEqual(table.declarations.map(\.variable), ["SAMPLE_COUNT", "SAMPLE_POOL", "SAMPLE_HALF", "SAMPLE_NAME"])
    }

    func testTheDumpHasEveryDeclaration() {
        let json = SettingsDump.json(table.declarations)
        XCTAssertEqual(json.split(separator: "\n").count, 6, json)
        XCTAssertTrue(json.contains(#"{"flag": "--count", "variable": "SAMPLE_COUNT", "value_name": "n", "summary": "How many.", "default": "3", "installed": "3", "details": "Three by default."}"#), json)
        XCTAssertTrue(json.contains(#"{"flag": null, "variable": "SAMPLE_POOL""#), json)
        XCTAssertTrue(json.contains(#""default": null, "installed": "", "details": ""}"#), json)
    }

    func testTheEmptyTextIsNoValueWhereTheParserSaysSo() throws {
        XCTAssertNil(try values([], ["SAMPLE_NAME": ""]).value(of: table.name))
        XCTAssertEqual(try values(["--name", "n"], ["SAMPLE_NAME": ""]).value(of: table.name), "n")
        let atLeastOne = SettingParser<Int?>.wholeNumber(from: 1, expecting: "a positive whole number")
        XCTAssertNil(try atLeastOne.read(""))
        XCTAssertEqual(try atLeastOne.read("2"), 2)
        XCTAssertThrowsError(try atLeastOne.read("0"))
    }

    func testTheCommonParsersRefuseWhatIsOutOfRange() throws {
        XCTAssertEqual(try SettingParser<Int32>.zlibLevel.read("9"), 9)
        for text in ["10", "-1", "", "1.5"] {
            XCTAssertThrowsError(try SettingParser<Int32>.zlibLevel.read(text), text)
        }
        let rate = SettingParser<Double>.rate(expecting: "a rate")
        XCTAssertEqual(try rate.read("0.5"), 0.5)
        for text in ["-1", "inf", "nan", "x"] {
            XCTAssertThrowsError(try rate.read(text), text)
        }
        let mode = SettingParser<Bool>.choice(yes: "required", no: "off")
        XCTAssertEqual(try [mode.read("required"), mode.read("off")], [true, false])
        XCTAssertThrowsError(try mode.read("Required"))
    }
}
