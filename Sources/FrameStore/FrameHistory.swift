/// Where a generation's frames are: `frames` holds the current rows, each with the generation it
/// appeared in; `frame_history` holds the rows replaced or removed since, each with the span of
/// generations it belonged to. Generation G is the rows of both whose span covers G.
enum FrameHistory {
    /// A frame's stored content, without its dataset and generations: what moves between the tables.
    static let contentColumns = """
        depth, pixel_min, pixel_max, pixel_mean, pixel_std, original_gz, resized_gz, resized,
        compression_ratio_original, compression_ratio_resized, row_hash
        """

    /// `columns` of dataset `datasetParameter`'s rows as of generation `generationParameter`, with
    /// `condition` on each table (e.g. a depth range), as one query to wrap or order.
    static func rowsAsOf(_ columns: String, datasetParameter: String = "$1", generationParameter: String = "$2",
                         condition: String = "TRUE") -> String {
        """
        SELECT \(columns) FROM frames
        WHERE dataset = \(datasetParameter) AND generation_from <= \(generationParameter) AND \(condition)
        UNION ALL
        SELECT \(columns) FROM frame_history
        WHERE dataset = \(datasetParameter) AND generation_from <= \(generationParameter)
          AND generation_to > \(generationParameter) AND \(condition)
        """
    }
}
