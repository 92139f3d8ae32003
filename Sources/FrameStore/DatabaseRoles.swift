/// The three database roles a deployment runs under, as SQL that a sysadmin runs once as a superuser
/// (`frames-admin roles sql | psql -d frames`) after the schema exists, and again after an upgrade that
/// adds tables. It is idempotent. The integration tests run it too, so it is the SQL that is tested.
///
/// - `frames_admin` owns the schema: `frames-admin` applies the migrations and manages the API keys as it.
/// - `frames_ingest` loads datasets: rows of `datasets`, `frames` and their histograms, the generation sequence and a
///   temporary staging table; nothing of `api_keys`.
/// - `frames_reader` is what the workers log in as: SELECT on what they serve, and the two functions of
///   APIKeySchema for keys: one key's row by its id, and its `last_used_at`. No privilege on `api_keys`.
public enum DatabaseRoles {
    public static let sql = """
        -- Roles for the image frame API. Run as a superuser, connected to the frames database, once the
        -- schema exists (any frames-admin command creates it); run it again after each upgrade.
        -- Log-in roles without a password: give each one (ALTER ROLE ... PASSWORD) or map system users
        -- to them in pg_ident.conf, then name them in the conninfo (user=frames_reader ...).
        DO $roles$
        DECLARE
            role text;
        BEGIN
            FOREACH role IN ARRAY ARRAY['frames_admin', 'frames_ingest', 'frames_reader'] LOOP
                IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = role) THEN
                    EXECUTE format('CREATE ROLE %I LOGIN', role);
                END IF;
            END LOOP;
            EXECUTE format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO frames_admin, frames_ingest, frames_reader',
                           current_database());
            EXECUTE format('GRANT USAGE ON SCHEMA %I TO frames_admin, frames_ingest, frames_reader', current_schema());
            EXECUTE format('GRANT CREATE ON SCHEMA %I TO frames_admin', current_schema());
        END
        $roles$;

        -- frames_admin owns everything, so that it can apply later migrations, and the key functions run
        -- with its rights rather than a superuser's.
        ALTER TABLE schema_migrations OWNER TO frames_admin;
        ALTER TABLE datasets OWNER TO frames_admin;
        ALTER TABLE frames OWNER TO frames_admin;
        ALTER TABLE dataset_histograms OWNER TO frames_admin;
        ALTER TABLE block_histograms OWNER TO frames_admin;
        ALTER TABLE frame_blocks OWNER TO frames_admin;
        ALTER SEQUENCE dataset_generation OWNER TO frames_admin;
        ALTER TABLE frame_history OWNER TO frames_admin;
        ALTER TABLE generations OWNER TO frames_admin;
        ALTER TABLE api_keys OWNER TO frames_admin;
        ALTER FUNCTION frames_key_lookup(text) OWNER TO frames_admin;
        ALTER FUNCTION frames_key_used(text) OWNER TO frames_admin;

        REVOKE ALL ON schema_migrations, datasets, frames, frame_history, generations, dataset_histograms,
            block_histograms, frame_blocks, api_keys
            FROM frames_ingest, frames_reader;
        REVOKE ALL ON FUNCTION frames_key_lookup(text), frames_key_used(text) FROM PUBLIC, frames_ingest;

        GRANT SELECT ON schema_migrations TO frames_ingest, frames_reader;
        GRANT SELECT, INSERT, UPDATE, DELETE ON datasets, frames, frame_history, generations, dataset_histograms,
            block_histograms, frame_blocks TO frames_ingest;
        GRANT USAGE, SELECT ON SEQUENCE dataset_generation TO frames_ingest;

        GRANT SELECT ON datasets, frames, frame_history, generations, dataset_histograms, block_histograms,
            frame_blocks TO frames_reader;
        GRANT EXECUTE ON FUNCTION frames_key_lookup(text), frames_key_used(text) TO frames_reader;
        """
}
