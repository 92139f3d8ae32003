import FramesCore
import PostgresClient

/// What is kept beside a dataset's frames to make binned, normalized and summarized reads cheap: its
/// frames packed in depth order (`frame_blocks`), the histogram of its resized pixels and that of its
/// original pixels per block of frames. Each generation rebuilds the packs from the current frames and
/// drops the histograms, which only an ingest of a whole file can count (the original pixels are not
/// in SQL's reach); reads without histograms count from the rows.
enum DerivedFrameData {
    /// Histogram blocks written per statement (about 1.5 MB of text).
    private static let blocksPerStatement = 1000

    /// After the dataset's frames changed, within the transaction that changed them.
    static func refresh(_ dataset: String, on connection: any SQLConnection) throws(PostgresError) {
        _ = try connection.query("""
            WITH old_blocks AS (DELETE FROM frame_blocks WHERE dataset = $1)
            INSERT INTO frame_blocks (dataset, depth_first, depth_last, frames)
            SELECT $1, min(depth), max(depth),
                   string_agg(\(FramePack.recordSQL), ''::bytea ORDER BY depth)
            FROM (SELECT *, (row_number() OVER (ORDER BY depth) - 1) / $2 AS block FROM frames WHERE dataset = $1) f
            GROUP BY block
            """, [dataset, String(FramePack.framesPerBlock)])
        _ = try connection.query("""
            WITH old_blocks AS (DELETE FROM block_histograms WHERE dataset = $1)
            DELETE FROM dataset_histograms WHERE dataset = $1
            """, [dataset])
    }

    /// The histograms an ingest counted from a file that is the whole dataset. The blocks travel as
    /// arrays (depths as shortest round-tripping text, histograms as hex), a bounded number per
    /// statement so that no statement's text grows with the file.
    static func store(_ counted: IngestHistograms, of dataset: String, on connection: any SQLConnection) throws(PostgresError) {
        var histograms = counted
        histograms.finish()
        _ = try connection.query("""
            INSERT INTO dataset_histograms (dataset, resized) VALUES ($1, decode($2, 'hex'))
            ON CONFLICT (dataset) DO UPDATE SET resized = EXCLUDED.resized
            """, [dataset, histograms.resized.encoded().hexString])
        func array(_ items: some Sequence<String>) -> String { "{" + items.joined(separator: ",") + "}" }
        let blocks = histograms.blocks
        for start in stride(from: 0, to: blocks.count, by: Self.blocksPerStatement) {
            let part = blocks[start ..< min(start + Self.blocksPerStatement, blocks.count)]
            _ = try connection.query("""
                INSERT INTO block_histograms (dataset, depth_first, depth_last, frame_count, original)
                SELECT $1, b.first, b.last, b.count, decode(b.original, 'hex')
                FROM unnest($2::float8[], $3::float8[], $4::integer[], $5::text[]) AS b(first, last, count, original)
                """, [dataset, array(part.lazy.map { "\($0.firstDepth)" }), array(part.lazy.map { "\($0.lastDepth)" }),
                      array(part.lazy.map { String($0.frameCount) }), array(part.lazy.map { $0.original.hexString })])
        }
    }
}
