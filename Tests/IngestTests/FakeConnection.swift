import PostgresClient

/// A connection that records what the loader sends, decodes its COPY streams, and answers the few
/// queries whose answers the loader reads. It keeps what a committed load leaves for a next load to
/// read (each dataset's widths and row hashes by depth), and drops an uncommitted one, as a
/// transaction would.
final class FakeConnection: SQLConnection {
    struct Copy {
        var statement: String
        var bytes: [UInt8] = []
        var aborted = false
        var putCalls = 0
    }

    struct StoredDataset {
        var widths: (original: Int, resized: Int)
        var hashes: [Double: [UInt8]]
    }

    /// Every statement and query in the order sent, with its parameters; COPY statements included.
    private(set) var statements: [(sql: String, parameters: [String?])] = []
    private(set) var copies: [Copy] = []
    private(set) var datasets: [String: StoredDataset] = [:]
    private var inTransaction = false
    private var copying = false
    private var dataset = ""
    /// The generation the next `nextval` gives.
    private var nextGeneration: Int64 = 41
    /// Makes a call fail: called with the statement, or with "COPY DATA" / "COPY END" for those calls.
    var fault: ((String) -> PostgresError?)?

    var sql: [String] { statements.map(\.sql) }

    func sent(_ prefix: String) -> [(sql: String, parameters: [String?])] {
        statements.filter { $0.sql.hasPrefix(prefix) }
    }

    /// The rows of the COPY into `frames` or the staging table, decoded.
    func copiedFrames() throws -> [CopiedFrame] {
        try copies.filter { $0.statement.contains(" frames (") || $0.statement.contains("staged_frames") }
            .flatMap { try CopyBinaryRows.decode($0.bytes) }.map(CopiedFrame.init)
    }

    /// The depths the loader found unchanged and sent in a COPY of their own.
    func copiedUnchangedDepths() throws -> [Double] {
        try copies.filter { $0.statement.contains("unchanged_frames") }
            .flatMap { try CopyBinaryRows.decode($0.bytes) }.map { CopyBinaryRows.double($0[0]) }
    }

    func execute(_ sql: String) throws(PostgresError) {
        if sql == "BEGIN" {
            // What the tests read is the last transaction's.
            statements.removeAll()
            copies.removeAll()
        }
        try record(sql, [])
        switch sql {
        case "BEGIN": inTransaction = true
        case "COMMIT": commit()
        case "ROLLBACK": inTransaction = false
        default: break
        }
    }

    func query(_ sql: String, _ parameters: [String?], binary: Bool) throws(PostgresError) -> PostgresResult {
        try record(sql, parameters)
        if sql.hasPrefix("SELECT pg_advisory_xact_lock") { dataset = parameters[0] ?? "" }
        if sql.hasPrefix("SELECT original_width, resized_width FROM datasets") {
            return text(datasets[dataset].map { [[String($0.widths.original), String($0.widths.resized)]] } ?? [])
        }
        if sql.hasPrefix("SELECT nextval") {
            defer { nextGeneration += 1 }
            return text([[String(nextGeneration)]])
        }
        if sql.hasPrefix("SELECT depth, row_hash FROM frames") {
            let rows = (datasets[dataset]?.hashes ?? [:]).sorted { $0.key < $1.key }.map { depth, hash -> [[UInt8]?] in
                [withUnsafeBytes(of: depth.bitPattern.bigEndian, Array.init), hash]
            }
            return PostgresResult(rows: rows, columnCount: 2, binary: true)
        }
        if sql.contains("SELECT count(current_depth)") {
            let changes = (try? differences()) ?? (retired: 0, inserted: 0, changed: 0)
            return text([[String(changes.retired), String(changes.inserted), String(changes.changed)]])
        }
        if sql.hasPrefix("WITH published") {
            let depths = ((try? copiedFrames().map(\.depth)) ?? []) + ((try? copiedUnchangedDepths()) ?? [])
            guard let low = depths.min(), let high = depths.max() else { return text([]) }
            return text([["\(low)", "\(high)", String(Set(depths).count)]])
        }
        return text([])
    }

    func beginCopyIn(_ sql: String) throws(PostgresError) {
        try record(sql, [])
        copies.append(Copy(statement: sql))
        copying = true
    }

    func putCopyData(_ bytes: UnsafeRawBufferPointer) throws(PostgresError) {
        if let error = fault?("COPY DATA") { throw error }
        copies[copies.count - 1].bytes += bytes
        copies[copies.count - 1].putCalls += 1
    }

    func endCopyIn(abortReason: String?) throws(PostgresError) {
        copying = false
        if abortReason != nil {
            copies[copies.count - 1].aborted = true
            return
        }
        if let error = fault?("COPY END") { throw error }
    }

    private func record(_ sql: String, _ parameters: [String?]) throws(PostgresError) {
        // A server in COPY mode takes nothing else until the copy ends.
        precondition(!copying, "\(sql) sent during a COPY")
        statements.append((sql, parameters))
        if let error = fault?(sql) { throw error }
    }

    /// A merge touches only the depths it brings; the ledger's statement for it joins only those.
    private var isMerge: Bool { sql.contains { $0.contains("FROM staged_frames s LEFT JOIN") } }

    /// The changes a load makes, as the ledger's statement counts them: current rows
    /// (apart from those found unchanged) without a staged row of the same depth and hash, staged rows
    /// without such a current row, and the depths that are both.
    private func differences() throws -> (retired: Int, inserted: Int, changed: Int) {
        let unchanged = Set(try copiedUnchangedDepths())
        let staged = Dictionary(try copiedFrames().map { ($0.depth, $0.rowHash) }, uniquingKeysWith: { a, _ in a })
        let current = (datasets[dataset]?.hashes ?? [:])
            .filter { !unchanged.contains($0.key) && (!isMerge || staged[$0.key] != nil) }
        let retired = Set(current.filter { staged[$0.key] != $0.value }.keys)
        let inserted = Set(staged.filter { current[$0.key] != $0.value }.keys)
        return (retired.count, inserted.count, retired.intersection(inserted).count)
    }

    /// What the transaction leaves: the rows it sent, and those it kept (a whole-file load) or did not
    /// touch (a merge).
    private func commit() {
        guard inTransaction, let published = sent("WITH published").last?.parameters else { return }
        inTransaction = false
        let widths = (original: Int(published[2] ?? "") ?? 0, resized: Int(published[3] ?? "") ?? 0)
        var hashes = datasets[dataset]?.hashes ?? [:]
        let unchanged = Set((try? copiedUnchangedDepths()) ?? [])
        if !isMerge { hashes = hashes.filter { unchanged.contains($0.key) } }
        for frame in (try? copiedFrames()) ?? [] { hashes[frame.depth] = frame.rowHash }
        datasets[dataset] = StoredDataset(widths: widths, hashes: hashes)
    }

    private func text(_ rows: [[String]]) -> PostgresResult {
        PostgresResult(rows: rows.map { $0.map { Array($0.utf8) } }, columnCount: rows.first?.count ?? 3, binary: false)
    }
}

/// One row of the loader's COPY, by the columns it names.
struct CopiedFrame {
    var dataset: String
    var depth: Double
    var min: Int
    var max: Int
    var mean: Double
    var std: Double
    var originalCompressed: [UInt8]
    var resizedCompressed: [UInt8]
    var resized: [UInt8]
    var compressionRatioOriginal: Double
    var compressionRatioResized: Double
    var generation: Int
    var rowHash: [UInt8]

    init(_ fields: [[UInt8]?]) {
        dataset = String(decoding: fields[0] ?? [], as: UTF8.self)
        depth = CopyBinaryRows.double(fields[1])
        min = CopyBinaryRows.bigEndian(fields[2])
        max = CopyBinaryRows.bigEndian(fields[3])
        mean = CopyBinaryRows.double(fields[4])
        std = CopyBinaryRows.double(fields[5])
        originalCompressed = fields[6] ?? []
        resizedCompressed = fields[7] ?? []
        resized = fields[8] ?? []
        compressionRatioOriginal = CopyBinaryRows.double(fields[9])
        compressionRatioResized = CopyBinaryRows.double(fields[10])
        generation = CopyBinaryRows.bigEndian(fields[11])
        rowHash = fields[12] ?? []
    }
}
