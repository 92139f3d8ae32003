/// Migration 4: the API keys, and the two functions through which the workers reach them.
///
/// The workers get no privilege on `api_keys` itself (DatabaseRoles). `frames_key_lookup` returns one
/// key's row given its id, which only a token holder knows, so a worker cannot list keys, their names or
/// scopes; it does return the secret's hashes, because a worker caches a key for up to 30 s and checks
/// tokens against the hashes itself, in constant time. `frames_key_used` can set `last_used_at` and
/// nothing else. Both are SECURITY DEFINER with a fixed search_path, pg_temp last, so that a temporary
/// table named `api_keys` cannot stand in for the real one.
enum APIKeySchema {
    static let sql = """
        CREATE TABLE api_keys (
            key_id                text PRIMARY KEY CHECK (key_id ~ '^[a-z2-7]{16}$'),
            name                  text NOT NULL UNIQUE CHECK (name <> ''),
            -- SHA-256 of the token's 32-byte secret; never the token.
            secret_hash           bytea NOT NULL CHECK (octet_length(secret_hash) = 32),
            -- After a rotation, the old secret's hash, accepted until previous_valid_until.
            previous_secret_hash  bytea CHECK (octet_length(previous_secret_hash) = 32),
            previous_valid_until  timestamptz,
            -- NULL: every dataset.
            datasets              text[],
            -- Requests per second and burst; NULL: FRAMES_RATE_DEFAULT.
            rate                  double precision CHECK (rate > 0),
            burst                 integer CHECK (burst > 0),
            created_at            timestamptz NOT NULL DEFAULT now(),
            expires_at            timestamptz,
            revoked_at            timestamptz,
            -- To the minute: a worker writes it at most once a minute per key.
            last_used_at          timestamptz,
            CHECK ((previous_secret_hash IS NULL) = (previous_valid_until IS NULL))
        );
        DO $migration$
        BEGIN
            EXECUTE format($function$
                CREATE FUNCTION frames_key_lookup(wanted text)
                RETURNS TABLE (name text, secret_hash bytea, previous_secret_hash bytea,
                               previous_valid_until double precision, datasets text[], rate double precision,
                               burst integer, expires_at double precision, revoked_at double precision)
                LANGUAGE sql STABLE SECURITY DEFINER SET search_path = %1$I, pg_temp
                AS 'SELECT name, secret_hash, previous_secret_hash,
                           extract(epoch FROM previous_valid_until)::double precision, datasets, rate, burst,
                           extract(epoch FROM expires_at)::double precision,
                           extract(epoch FROM revoked_at)::double precision
                    FROM %1$I.api_keys WHERE key_id = wanted'
                $function$, current_schema());
            EXECUTE format($function$
                CREATE FUNCTION frames_key_used(wanted text) RETURNS void
                LANGUAGE sql SECURITY DEFINER SET search_path = %1$I, pg_temp
                AS 'UPDATE %1$I.api_keys SET last_used_at = date_trunc(''minute'', now())
                    WHERE key_id = wanted
                      AND (last_used_at IS NULL OR last_used_at < date_trunc(''minute'', now()))'
                $function$, current_schema());
        END
        $migration$;
        -- Functions are executable by PUBLIC unless told otherwise; DatabaseRoles grants them to the reader.
        REVOKE ALL ON FUNCTION frames_key_lookup(text), frames_key_used(text) FROM PUBLIC;
        """
}
