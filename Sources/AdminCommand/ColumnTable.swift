/// Rows under a header, each column as wide as its widest cell plus two spaces, the last one unpadded:
/// what `ls -l` and `ps` print, and what `awk` and `column` read back.
enum ColumnTable {
    static func render(header: [String], rows: [[String]]) -> String {
        guard !rows.isEmpty else { return "" }
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        return ([header] + rows).map { cells in
            cells.enumerated().map { column, cell in
                column == cells.count - 1 ? cell : cell + String(repeating: " ", count: widths[column] - cell.count + 2)
            }.joined() + "\n"
        }.joined()
    }
}
