import CLibPQ
import Glibc

extension PostgresResult {
    /// A result made by libpq without a server, holding `rows` (nil cells are NULL), in text or binary
    /// format: what a stand-in connection answers, read exactly as a server's answer is.
    public convenience init(rows: [[[UInt8]?]], columnCount: Int, binary: Bool) {
        guard let handle = PQmakeEmptyPGresult(nil, PGRES_TUPLES_OK) else { fatalError("libpq: out of memory") }
        let names = (0..<columnCount).map { strdup("column\($0)") }
        defer { names.forEach { free($0) } }
        var columns = names.map { name in
            PGresAttDesc(name: name, tableid: 0, columnid: 0, format: binary ? 1 : 0, typid: 0, typlen: -1, atttypmod: -1)
        }
        guard PQsetResultAttrs(handle, Int32(columnCount), &columns) == 1 else { fatalError("libpq: out of memory") }
        for (row, cells) in rows.enumerated() {
            for (column, cell) in cells.enumerated() {
                var bytes = cell.map { $0.map { CChar(bitPattern: $0) } } ?? []
                guard PQsetvalue(handle, Int32(row), Int32(column), &bytes, Int32(cell?.count ?? -1)) == 1 else {
                    fatalError("libpq: out of memory")
                }
            }
        }
        self.init(handle)
    }
}
