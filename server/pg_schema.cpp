#include "pg_schema.hpp"

#include <iterator>

#include "pg_connection.hpp"
#include "pg_leases.hpp"
#include "store.hpp"

namespace keha::server {

namespace {

// The same steps as the SQLite file's migrations, version for version, so a later version adds
// one step to each. Rooms keep the order they were created in (SQLite's rowid) in a column.
const char* const migrations[] = {
    nullptr,
    // 1: the first schema. A room's initial state lived in the rooms row.
    R"sql(
    CREATE TABLE rooms (
        code                 TEXT PRIMARY KEY,
        facilitator_key_hash TEXT NOT NULL,
        screen_key_hash      TEXT NOT NULL,
        created_at_ms        BIGINT NOT NULL,
        initial_state        TEXT NOT NULL,
        created_order        BIGINT GENERATED ALWAYS AS IDENTITY
    );
    CREATE TABLE ops (
        room   TEXT NOT NULL REFERENCES rooms(code),
        seq    BIGINT NOT NULL,
        by_pid TEXT NOT NULL,
        cmd    TEXT NOT NULL,
        patch  TEXT NOT NULL,
        at_ms  BIGINT NOT NULL,
        PRIMARY KEY (room, seq)
    );
    CREATE TABLE tokens (
        room       TEXT NOT NULL REFERENCES rooms(code),
        pid        TEXT NOT NULL,
        token_hash TEXT NOT NULL,
        PRIMARY KEY (room, pid)
    );
    )sql",
    // 2: snapshots. The initial state becomes each room's seq-0 snapshot.
    R"sql(
    CREATE TABLE snapshots (
        room  TEXT NOT NULL REFERENCES rooms(code),
        seq   BIGINT NOT NULL,
        state TEXT NOT NULL,
        PRIMARY KEY (room, seq)
    );
    INSERT INTO snapshots (room, seq, state) SELECT code, 0, initial_state FROM rooms;
    ALTER TABLE rooms DROP COLUMN initial_state;
    )sql",
    // 3: processes, and the anonymous answers of closing questionnaires: a row has a random
    // key and names only its room and question (no participant, no seq, no time). Rooms made
    // before gain the boards and the questionnaire of today's state.
    R"sql(
    CREATE TABLE processes (
        id            TEXT PRIMARY KEY,
        title         TEXT NOT NULL,
        teams         TEXT NOT NULL,
        key_hash      TEXT NOT NULL,
        created_at_ms BIGINT NOT NULL
    );
    ALTER TABLE rooms ADD COLUMN process TEXT REFERENCES processes(id);
    CREATE INDEX rooms_by_process ON rooms (process, created_at_ms);
    CREATE TABLE rating_scores (
        id       UUID PRIMARY KEY DEFAULT gen_random_uuid(),
        room     TEXT NOT NULL REFERENCES rooms(code),
        question TEXT NOT NULL,
        score    INTEGER NOT NULL CHECK (score BETWEEN 0 AND 10)
    );
    CREATE TABLE rating_comments (
        id   UUID PRIMARY KEY DEFAULT gen_random_uuid(),
        room TEXT NOT NULL REFERENCES rooms(code),
        text TEXT NOT NULL
    );
    UPDATE snapshots SET state = jsonb_set(state::jsonb, '{boards,hypotheses}', '{"items":{}}')::text
        WHERE jsonb_typeof(state::jsonb -> 'boards') = 'object' AND state::jsonb -> 'boards' -> 'hypotheses' IS NULL;
    UPDATE snapshots SET state = jsonb_set(state::jsonb, '{boards,commitments}', '{"items":{}}')::text
        WHERE jsonb_typeof(state::jsonb -> 'boards') = 'object' AND state::jsonb -> 'boards' -> 'commitments' IS NULL;
    UPDATE snapshots SET state = jsonb_set(state::jsonb, '{ratings}',
        '{"questions":[],"open":false,"answered":0,"results":null}')::text
        WHERE jsonb_typeof(state::jsonb -> 'boards') = 'object' AND state::jsonb -> 'ratings' IS NULL;
    )sql",
    // 4: the access log (docs/security.md): rows outlive the meeting they name; never changed,
    // only deleted by age.
    R"sql(
    CREATE TABLE access_log (
        id      BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at_ms   BIGINT NOT NULL,
        room    TEXT NOT NULL,
        event   TEXT NOT NULL,
        role    TEXT NOT NULL,
        pid     TEXT NOT NULL,
        name    TEXT NOT NULL,
        address TEXT NOT NULL,
        detail  TEXT NOT NULL
    );
    CREATE INDEX access_log_by_room ON access_log (room, at_ms);
    CREATE INDEX access_log_by_time ON access_log (at_ms);
    CREATE FUNCTION keha_access_log_append_only() RETURNS trigger LANGUAGE plpgsql AS
        $$BEGIN RAISE EXCEPTION 'the access log is append-only'; END$$;
    CREATE TRIGGER access_log_append_only BEFORE UPDATE ON access_log
        FOR EACH ROW EXECUTE FUNCTION keha_access_log_append_only();
    )sql",
    // 5: the op log in the order it was written, as SQLite's version 5 makes it. PostgreSQL's
    // heap already takes each commit's ops together at its end, with (room, seq) the primary
    // key's B-tree beside it; the ops written before are rewritten room by room, as SQLite
    // copies them, so an old room still reads from contiguous pages.
    R"sql(
    CLUSTER ops USING ops_pkey;
    )sql",
    // 6: the anonymous values of quick polls (docs/privacy.md, "Anonymous polls"): a row has a
    // random key and names only its room and poll. Rooms made before gain the polls of today's state.
    R"sql(
    CREATE TABLE poll_values (
        id    UUID PRIMARY KEY DEFAULT gen_random_uuid(),
        room  TEXT NOT NULL REFERENCES rooms(code),
        poll  TEXT NOT NULL,
        value TEXT NOT NULL
    );
    CREATE INDEX poll_values_by_poll ON poll_values (room, poll);
    UPDATE snapshots SET state = jsonb_set(state::jsonb, '{polls}', '{}')::text
        WHERE jsonb_typeof(state::jsonb -> 'boards') = 'object' AND state::jsonb -> 'polls' IS NULL;
    )sql",
};
static_assert(std::size(migrations) == pg_latest_schema + 1);

// Any number will do as long as it is Kehä's alone: "keha" in ASCII.
constexpr const char* migration_lock = "SELECT pg_advisory_xact_lock(1801807969)";

void check_known(std::int64_t version, const std::string& shown)
{
    if (version > pg_latest_schema)
        throw Store_error("the database " + shown + " was written by a newer Kehä (schema version " +
                          std::to_string(version) + ", this keha-server knows up to " +
                          std::to_string(pg_latest_schema) + "); upgrade keha-server, or start it with another --db");
    if (version < 0)
        throw Store_error("the database " + shown + " has an unknown schema version (" + std::to_string(version) +
                          "); it was not written by Kehä");
}

std::int64_t tables_in_schema(Pg_connection& db)
{
    return db.exec("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()").integer(0, 0);
}

}  // namespace

const char* pg_migration(std::int64_t version)
{
    return version >= 1 && version <= pg_latest_schema ? migrations[version] : nullptr;
}

std::int64_t pg_schema_version(Pg_connection& db)
{
    if (db.exec("SELECT to_regclass('keha_schema') IS NULL").text(0, 0) == "t") return 0;
    auto r = db.exec("SELECT version FROM keha_schema");
    return r.rows() == 1 ? r.integer(0, 0) : -1;
}

void pg_migrate(Pg_connection& db, const std::string& shown, std::int64_t target)
{
    db.exec("BEGIN");
    try {
        db.exec(migration_lock);
        // Read inside the lock: another node may have migrated meanwhile.
        auto version = pg_schema_version(db);
        check_known(version, shown);
        if (version == 0) {
            if (tables_in_schema(db) != 0)
                throw Store_error("the database " + shown +
                                  " holds tables of another program, not Kehä's; give --db another database");
            db.exec("CREATE TABLE keha_schema (version INTEGER NOT NULL); INSERT INTO keha_schema VALUES (0)");
        }
        for (auto v = version + 1; v <= target; ++v) {
            db.exec(migrations[v]);
            db.exec("UPDATE keha_schema SET version = " + std::to_string(v));
        }
        db.exec(Pg_leases::table_sql());
        db.exec("COMMIT");
    } catch (...) {
        db.recover();
        throw;
    }
}

void pg_require_version(Pg_connection& db, const std::string& shown, std::int64_t version)
{
    const auto found = pg_schema_version(db);
    check_known(found, shown);
    if (found == 0) throw Store_error(shown + " is not a Kehä database (it has no Kehä tables)");
    if (found != version)
        throw Store_error("the database " + shown + " has the older schema version " + std::to_string(found) +
                          "; keha-server migrates it to version " + std::to_string(version) + " when it starts on it");
}

}  // namespace keha::server
