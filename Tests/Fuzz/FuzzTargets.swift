// libFuzzer entry point for the parsers of outside input. Compiled together with FramesCore's sources
// into one instrumented binary (scripts/fuzz.sh); FUZZ_TARGET picks the parser:
//   csv            ImageLogParser, fed in two chunks split at a point the input chooses
//   query          QueryString and FrameQuery (first line: the query string; the rest: an Accept header)
//   colors         the `colors=` spec, then the palettes it makes
//   colormap_file  a `.colors` file from the colormap folder
//   dlis           DLISDecoder, fed in two chunks split at a point the input chooses
//   las            LASReader, the same way
// Each target also checks the parser's promises, so a wrong answer stops the run like a crash does.
import Glibc

private enum Target: String {
    case csv, query, colors, colormap_file, dlis, las
}

private let target: Target = {
    guard let name = getenv("FUZZ_TARGET").map({ String(cString: $0) }), let target = Target(rawValue: name) else {
        fputs("set FUZZ_TARGET to one of: csv, query, colors, colormap_file, dlis, las\n", stderr)
        exit(64)
    }
    return target
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    switch target {
    case .csv: fuzzCSV(bytes)
    case .query: fuzzQuery(bytes)
    case .colors: fuzzColors(bytes)
    case .colormap_file: fuzzColormapFile(bytes)
    case .dlis: fuzzDLIS(bytes)
    case .las: fuzzLAS(bytes)
    }
    return 0
}

private func require(_ condition: Bool, _ message: String) {
    if !condition {
        fputs("broken promise: \(message)\n", stderr)
        abort()
    }
}

private func fuzzCSV(_ bytes: [UInt8]) {
    let parser = ImageLogParser()
    let split = bytes.isEmpty ? 0 : Int(bytes[0]) % (bytes.count + 1)
    var lines: [ImageLogParser.Line] = []
    do {
        lines += try parser.feed(Array(bytes[..<split]))
        lines += try parser.feed(Array(bytes[split...]))
        lines += try parser.finish()
    } catch {
        require(error.line >= 1 && error.column >= 1, "a header error points at a real place")
        return
    }
    var previousLine = 1
    for line in lines {
        switch line {
        case .row(let row):
            require(row.pixels.count == parser.width, "every row has the header's width")
            require(row.depth.isFinite && row.depth >= 0, "depths are finite and not negative")
            require(row.line > previousLine, "rows come in file order")
            previousLine = row.line
        case .invalid(let error):
            require(error.line >= 2 && error.column >= 1, "a row error points at a data line")
            // One past the header's cells is where a row with too many cells goes wrong.
            require(error.column <= (parser.width ?? 0) + 2, "a row error points at a cell or just past the last")
        }
    }
}

/// The input in two chunks, split where its first byte says, so that chunk boundaries get fuzzed too.
private func twoChunks(_ bytes: [UInt8]) -> [ArraySlice<UInt8>] {
    let split = bytes.isEmpty ? 0 : Int(bytes[0]) % (bytes.count + 1)
    return [bytes[..<split], bytes[split...]]
}

private func fuzzDLIS(_ bytes: [UInt8]) {
    let decoder = DLISDecoder()
    var file: DLISLogicalFile?
    func check(_ events: [DLISDecoder.Event]) {
        for event in events {
            switch event {
            case .logicalFile(let described): file = described
            case .row(let row):
                guard let file else { return require(false, "a row comes after its logical file's description") }
                let frame = file.frames.first { $0.name == row.frame }
                require(frame != nil, "a row belongs to a described frame")
                let counts = frame?.channels.map { file.channel($0)?.elementCount } ?? []
                require(row.samples.count == counts.count, "a row has one entry per channel of its frame")
                for (samples, count) in zip(row.samples, counts) {
                    switch samples {
                    case .float(let values): require(values.count == count, "a channel has its DIMENSION's values")
                    case .double(let values): require(values.count == count, "a channel has its DIMENSION's values")
                    case .notNumeric(let n): require(n == count, "a channel has its DIMENSION's values")
                    }
                }
            }
        }
    }
    do {
        for chunk in twoChunks(bytes) { check(try decoder.feed(chunk)) }
        check(try decoder.finish())
    } catch {
        require((0...bytes.count).contains(error.offset), "an error points into the file or at its end")
        require(!error.reason.isEmpty, "an error says what was expected")
    }
}

private func fuzzLAS(_ bytes: [UInt8]) {
    let reader = LASReader()
    let lineCount = bytes.count(where: { $0 == 0x0A }) + 1
    var width: Int?
    var lastLine = 0
    func check(_ events: [LASReader.Event]) {
        for event in events {
            switch event {
            case .header(let header):
                width = header.curves.count
                require(header.images.allSatisfy { $0.width >= 2 && $0.valueRange.upperBound < header.curves.count },
                        "an image is two curves or more after the depth")
            case .row(let row):
                require(row.values.count + 1 == width, "a row has a value per curve")
                require(row.depth.isFinite, "a depth is a finite number")
                require(row.line > lastLine && row.line <= lineCount, "rows come in file order, on real lines")
                lastLine = row.line
            }
        }
    }
    do {
        for chunk in twoChunks(bytes) { check(try reader.feed(chunk)) }
        check(try reader.finish())
    } catch {
        require((1...lineCount).contains(error.line), "an error points at a line of the file")
        require(!error.reason.isEmpty, "an error says what was expected")
    }
}

private func fuzzQuery(_ bytes: [UInt8]) {
    let text = String(decoding: bytes, as: UTF8.self)
    let parts = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
    let accept = parts.count > 1 ? String(parts[1]) : nil
    do {
        let query = try FrameQuery(parameters: QueryString.decode(String(parts[0])), accept: accept)
        require(query.range.lower <= query.range.upper, "a valid range is ordered")
        require(FrameQuery.limitRange.contains(query.limit), "the limit is within its range")
        if let vmin = query.vmin, let vmax = query.vmax { require(vmin <= vmax, "a value window is ordered") }
        // The canonical key goes into an ETag header: it must stay one line.
        require(!query.canonicalKey.utf8.contains { $0 == 0x0A || $0 == 0x0D } || query.colormap != nil || query.colors != nil,
                "the canonical key of a query without free-form strings is one line")
    } catch {
        let problem = error.problem
        require((400..<600).contains(problem.status.code), "every refusal is an HTTP error status")
        require(!problem.detail.isEmpty, "every refusal says why")
    }
}

private func fuzzColors(_ bytes: [UInt8]) {
    let spec = String(decoding: bytes, as: UTF8.self)
    guard let colormap = try? ColormapRegistry.builtin.resolve(name: nil, colors: spec) else { return }
    for (vmin, vmax) in [(nil, nil), (0.0, 255.0), (10.0, 10.0), (-5.0, 300.0)] as [(Double?, Double?)] {
        guard let palette = try? colormap.palette(vmin: vmin, vmax: vmax) else { continue }
        require(palette.count == 768, "a palette has 256 RGB entries")
    }
}

private func fuzzColormapFile(_ bytes: [UInt8]) {
    guard case .success(let spec) = ColormapRegistry.parseFile(String(decoding: bytes, as: UTF8.self)) else { return }
    require(spec.table().count == 768, "a colormap file makes a 256-entry table")
    require(spec.reversed().table().count == 768, "and so does its reverse")
}
