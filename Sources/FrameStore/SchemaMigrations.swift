import PostgresClient

/// The schema, as numbered migrations that every binary applies on start-up. Each runs once, in its
/// own transaction, under an advisory lock so that concurrent starters do not race.
public enum SchemaMigrations {
    static let steps: [(version: Int, sql: String)] = [
        (1, """
            CREATE SEQUENCE dataset_generation;
            CREATE TABLE datasets (
                name            text PRIMARY KEY,
                original_width  integer NOT NULL CHECK (original_width > 0),
                resized_width   integer NOT NULL CHECK (resized_width > 0),
                depth_min       double precision NOT NULL,
                depth_max       double precision NOT NULL,
                frame_count     integer NOT NULL,
                generation      bigint NOT NULL,
                source_file     text,
                ingested_at     timestamptz NOT NULL DEFAULT now()
            );
            CREATE TABLE frames (
                dataset                     text NOT NULL REFERENCES datasets(name) ON DELETE CASCADE,
                depth                       double precision NOT NULL,
                pixel_min                   smallint NOT NULL,
                pixel_max                   smallint NOT NULL,
                pixel_mean                  double precision NOT NULL,
                pixel_std                   double precision NOT NULL,
                original_gz                 bytea NOT NULL,
                resized_gz                  bytea NOT NULL,
                -- The resized row uncompressed as well: every query reads it, and inflating
                -- thousands of rows per request would cost more than the 150 bytes it takes.
                resized                     bytea NOT NULL,
                compression_ratio_original  double precision NOT NULL,
                compression_ratio_resized   double precision NOT NULL,
                -- The ingest that last wrote the row (migration 3 renames it generation_from).
                generation                  bigint NOT NULL,
                -- The primary key's index is the one depth-range scans use.
                PRIMARY KEY (dataset, depth)
            );
            """),
        // A rename (frames-admin datasets rename) changes the key the frames point at.
        (2, """
            ALTER TABLE frames DROP CONSTRAINT frames_dataset_fkey,
                ADD CONSTRAINT frames_dataset_fkey FOREIGN KEY (dataset) REFERENCES datasets(name)
                    ON DELETE CASCADE ON UPDATE CASCADE;
            """),
        // Versions: `frames` keeps exactly the current rows, so reads of the current generation stay as they
        // were; a row an ingest replaces or removes moves to `frame_history` with the generation that did
        // it. Rows loaded before this step have no content hash: their next re-ingest stores them anew.
        (3, """
            ALTER TABLE frames RENAME COLUMN generation TO generation_from;
            COMMENT ON COLUMN frames.generation_from IS 'The generation the row appeared in.';
            ALTER TABLE frames ADD COLUMN row_hash bytea;
            COMMENT ON COLUMN frames.row_hash IS
                'SHA-256 (first 16 bytes) of the resized width and the original row, computed at ingest.';
            CREATE TABLE frame_history (
                LIKE frames,
                -- The generation that replaced or removed the row: it is part of generations
                -- generation_from up to, not including, generation_to.
                generation_to bigint NOT NULL,
                PRIMARY KEY (dataset, depth, generation_from),
                FOREIGN KEY (dataset) REFERENCES datasets(name) ON DELETE CASCADE ON UPDATE CASCADE
            );
            CREATE TABLE generations (
                dataset         text NOT NULL REFERENCES datasets(name) ON DELETE CASCADE ON UPDATE CASCADE,
                generation      bigint NOT NULL,
                created_at      timestamptz NOT NULL DEFAULT now(),
                -- ingest, merge, delete-range, rollback, rename
                command         text NOT NULL,
                source_file     text,
                source_sha256   text,
                -- What the command did, in words: the range deleted, the generation restored, the old name.
                note            text,
                host            text,
                frames_added    integer NOT NULL,
                frames_changed  integer NOT NULL,
                frames_removed  integer NOT NULL,
                -- The dataset as this generation left it.
                frame_count     integer NOT NULL,
                depth_min       double precision NOT NULL,
                depth_max       double precision NOT NULL,
                original_width  integer NOT NULL,
                resized_width   integer NOT NULL,
                -- Set by prune: the generation's replaced rows are gone, so it can no longer be read.
                pruned_at       timestamptz,
                PRIMARY KEY (dataset, generation)
            );
            INSERT INTO generations (dataset, generation, created_at, command, source_file, frames_added,
                                     frames_changed, frames_removed, frame_count, depth_min, depth_max,
                                     original_width, resized_width)
            SELECT name, generation, ingested_at, 'ingest', source_file, frame_count, 0, 0, frame_count,
                   depth_min, depth_max, original_width, resized_width
            FROM datasets;
            """),
        (4, APIKeySchema.sql),
        // What makes /statistics and norm=static cheap (IngestHistograms): per dataset the histogram
        // of its resized pixels, per block of consecutive frames that of their original pixels, in
        // PixelHistogram's encoded form. A dataset without them (loaded before this) is computed
        // from its rows.
        (5, """
            CREATE TABLE dataset_histograms (
                dataset  text PRIMARY KEY REFERENCES datasets(name) ON DELETE CASCADE ON UPDATE CASCADE,
                resized  bytea NOT NULL
            );
            CREATE TABLE block_histograms (
                dataset      text NOT NULL REFERENCES datasets(name) ON DELETE CASCADE ON UPDATE CASCADE,
                depth_first  double precision NOT NULL,
                depth_last   double precision NOT NULL,
                frame_count  integer NOT NULL CHECK (frame_count > 0),
                original     bytea NOT NULL
            );
            -- Not unique: an ingest deletes the old blocks and inserts the new in one statement.
            CREATE INDEX block_histograms_depth ON block_histograms (dataset, depth_first);
            -- The frames again, packed 64 to a row in depth order (FramePack): what a binned or
            -- normalized request reads, 86 rows instead of 5,460 for a whole log. Uncompressed: the
            -- resized rows are noise to pglz, and reading should not pay for trying.
            CREATE TABLE frame_blocks (
                dataset      text NOT NULL REFERENCES datasets(name) ON DELETE CASCADE ON UPDATE CASCADE,
                depth_first  double precision NOT NULL,
                depth_last   double precision NOT NULL,
                frames       bytea NOT NULL
            );
            ALTER TABLE frame_blocks ALTER COLUMN frames SET STORAGE EXTERNAL;
            CREATE INDEX frame_blocks_depth ON frame_blocks (dataset, depth_first);
            """),
    ]

    public static func apply(on connection: PostgresConnection) throws(PostgresError) {
        // Checked first because CREATE TABLE IF NOT EXISTS needs the CREATE privilege even when the table
        // exists, and the ingest role (DatabaseRoles) has none: it only finds every step applied.
        if try connection.query("SELECT to_regclass('schema_migrations') IS NULL").string(0, 0) == "t" {
            try connection.execute("""
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version integer PRIMARY KEY,
                    applied_at timestamptz NOT NULL DEFAULT now())
                """)
        }
        for step in steps {
            try connection.execute("BEGIN")
            do {
                // Any constant key works: it only serializes migrators against each other.
                try connection.execute("SELECT pg_advisory_xact_lock(7256001)")
                let done = try connection.query("SELECT 1 FROM schema_migrations WHERE version = $1", [String(step.version)])
                if done.rowCount == 0 {
                    try connection.execute(step.sql)
                    _ = try connection.query("INSERT INTO schema_migrations (version) VALUES ($1)", [String(step.version)])
                }
                try connection.execute("COMMIT")
            } catch {
                try? connection.execute("ROLLBACK")
                throw error
            }
        }
    }

    /// The highest applied version, or nil when the schema is missing.
    public static func currentVersion(on connection: PostgresConnection) throws(PostgresError) -> Int? {
        let exists = try connection.query("SELECT to_regclass('schema_migrations') IS NOT NULL")
        guard exists.string(0, 0) == "t" else { return nil }
        return try connection.query("SELECT max(version) FROM schema_migrations").string(0, 0).flatMap { Int($0) }
    }
}
