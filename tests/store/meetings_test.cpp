// The store's part for processes, anonymous questionnaire answers, history (state at any
// seq), and the v2 -> v3 migration.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <future>
#include <set>
#include <string>
#include <vector>

#include "keha/reducer.hpp"
#include "keha/state.hpp"
#include "sqlite_store.hpp"
#include "backends.hpp"
#include "store_calls.hpp"
#include "store_fixture.hpp"
#include "store_migrate.hpp"

namespace fs = std::filesystem;
using keha::json;
using namespace keha::server;

using keha::store_test::append_sync;
using keha::store_test::new_state;
using keha::store_test::Raw;
using keha::store_test::Temp_dir;

// Processes, answers and history on both backends (backends.hpp).
class StoreMeetingsOn : public keha::store_test::On_backends {};
KEHA_ON_BOTH_BACKENDS(StoreMeetingsOn);

namespace {

TEST(StoreMeetings, MigratesVersionTwoDatabaseToThree)
{
    Temp_dir dir;
    const auto path = dir.file("v2.db");
    // A room as the version-2 program stored it: no commitments board, no questionnaire.
    json old_state = new_state("K7Q4MX");
    old_state["boards"].erase("commitments");
    old_state["boards"].erase("hypotheses");
    old_state.erase("ratings");
    const json add_item = json::array({{{"op", "add"},
                                        {"path", "/boards/plan/items/i1"},
                                        {"value", {{"id", "i1"}, {"column", "action"}, {"text", "Soitto"}}}}});
    {
        Raw old(path);
        old.exec(R"sql(
            PRAGMA journal_mode=WAL;
            CREATE TABLE rooms (code TEXT PRIMARY KEY, facilitator_key_hash TEXT NOT NULL,
                                screen_key_hash TEXT NOT NULL, created_at_ms INTEGER NOT NULL);
            CREATE TABLE ops (room TEXT NOT NULL REFERENCES rooms(code), seq INTEGER NOT NULL,
                              by_pid TEXT NOT NULL, cmd TEXT NOT NULL, patch TEXT NOT NULL,
                              at_ms INTEGER NOT NULL, PRIMARY KEY (room, seq)) WITHOUT ROWID;
            CREATE TABLE tokens (room TEXT NOT NULL REFERENCES rooms(code), pid TEXT NOT NULL,
                                 token_hash TEXT NOT NULL, PRIMARY KEY (room, pid));
            CREATE TABLE snapshots (room TEXT NOT NULL REFERENCES rooms(code), seq INTEGER NOT NULL,
                                    state TEXT NOT NULL, PRIMARY KEY (room, seq)) WITHOUT ROWID;
            INSERT INTO rooms VALUES ('K7Q4MX', 'fh1', 'sh1', 1000);
            INSERT INTO tokens VALUES ('K7Q4MX', 'p1', 'th1');
            PRAGMA user_version = 2;
        )sql");
        old.exec("INSERT INTO snapshots VALUES ('K7Q4MX', 0, '" + old_state.dump() + "')");
        old.exec("INSERT INTO ops VALUES ('K7Q4MX', 1, 'p1', 'item.add', '" + add_item.dump() + "', 1001)");
        old.exec("INSERT INTO snapshots VALUES ('K7Q4MX', 1, '" + old_state.patch(add_item).dump() + "')");
    }
    {
        Sqlite_store store(path);
        auto loaded = store.load_room("K7Q4MX");
        ASSERT_TRUE(loaded);
        EXPECT_EQ(loaded->room.facilitator_key_hash, "fh1");
        EXPECT_EQ(loaded->room.process, "");
        EXPECT_EQ(loaded->token_hashes.at("p1"), "th1");
        json state = json::parse(loaded->snapshot);
        EXPECT_EQ(state["boards"]["plan"]["items"]["i1"]["text"], "Soitto") << "nothing of the room is lost";
        EXPECT_EQ(state["boards"]["commitments"], (json{{"items", json::object()}}));
        EXPECT_EQ(state["boards"]["hypotheses"], (json{{"items", json::object()}}));
        EXPECT_EQ(state["ratings"], (json{{"questions", json::array()}, {"open", false}, {"answered", 0}, {"results", nullptr}}));
        // The room as created gained them too, so history starts from a state today's reducer knows.
        auto first = store.state_at("K7Q4MX", 0);
        ASSERT_TRUE(first);
        EXPECT_TRUE(json::parse(first->state)["boards"].contains("commitments"));
        EXPECT_EQ(json::parse(first->state)["boards"]["plan"]["items"], json::object());
        // A migrated room takes ratings and belongs to no process.
        Append stored;
        stored.code = "K7Q4MX";
        stored.op = {2, "server", "ratings.stored", "[]", 1002};
        ASSERT_TRUE(append_sync(store, stored, {{"K7Q4MX", {{"heard", 5}}, std::nullopt}}));
        EXPECT_EQ(store.ratings_of("K7Q4MX").scores.size(), 1u);
    }
    Raw raw(path);
    EXPECT_EQ(raw.scalar("PRAGMA user_version"), std::to_string(Sqlite_store::schema_version));
    EXPECT_EQ(raw.scalar("SELECT count(*) FROM pragma_table_info('rooms') WHERE name='process'"), "1");
    EXPECT_EQ(raw.scalar("SELECT process IS NULL FROM rooms WHERE code='K7Q4MX'"), "1");
    EXPECT_EQ(raw.scalar("PRAGMA foreign_key_check"), "");
    EXPECT_EQ(raw.scalar("PRAGMA integrity_check"), "ok");
}

TEST_P(StoreMeetingsOn, ProcessesAndTheirRoomsInOrder)
{
    auto store_opened = db.open();
    Store& store = *store_opened;
    EXPECT_FALSE(store.find_process("prc_a"));
    store.create_process({"prc_a", "Lapsen asia", R"(["Ammattilaiset","Johtajat"])", "kh", 500});
    EXPECT_THROW(store.create_process({"prc_a", "Again", "[]", "kh2", 600}), Store_error);
    auto p = store.find_process("prc_a");
    ASSERT_TRUE(p);
    EXPECT_EQ(p->title, "Lapsen asia");
    EXPECT_EQ(p->teams, R"(["Ammattilaiset","Johtajat"])");
    EXPECT_EQ(p->key_hash, "kh");
    store.create_room({"BBBBBB", "f", "s", 2000, "prc_a"}, new_state("BBBBBB").dump());
    store.create_room({"AAAAAA", "f", "s", 1000, "prc_a"}, new_state("AAAAAA").dump());
    store.create_room({"CCCCCC", "f", "s", 1500, ""}, new_state("CCCCCC").dump());
    std::vector<std::string> codes;
    for (const auto& r : store.rooms_of_process("prc_a")) codes.push_back(r.code);
    EXPECT_EQ(codes, (std::vector<std::string>{"AAAAAA", "BBBBBB"}));
    EXPECT_EQ(store.find_room("AAAAAA")->process, "prc_a");
    EXPECT_EQ(store.find_room("CCCCCC")->process, "");
    EXPECT_THROW(store.create_room({"DDDDDD", "f", "s", 1, "no_such"}, "{}"), Store_error) << "the process must exist";
}

// The anonymity property, as another program reading the file sees it.
TEST(StoreMeetings, RatingRowsNameNoPersonSeqOrTime)
{
    Temp_dir dir;
    const auto path = dir.file("keha.db");
    {
        Sqlite_store store(path);
        store.create_room({"K7Q4MX", "f", "s", 1, ""}, new_state("K7Q4MX").dump());
        const std::vector<std::pair<std::string, int>> given[] = {{{"heard", 3}, {"useful", 7}}, {{"heard", 9}}, {{"heard", 6}}};
        std::uint64_t seq = 0;
        std::vector<Rating_submission> answers;
        for (const auto& scores : given) {
            answers.push_back({"K7Q4MX", scores, "kommentti " + std::to_string(scores.front().second)});
            Append a;
            a.code = "K7Q4MX";
            a.op = {++seq, "p" + std::to_string(seq), "rating.submit",
                    R"([{"op":"add","path":"/participants/p)" + std::to_string(seq) + R"(/rated","value":true}])", 1000 + static_cast<std::int64_t>(seq)};
            ASSERT_TRUE(append_sync(store, a));
        }
        // The room writes them later, all in the transaction of one op.
        Append batch;
        batch.code = "K7Q4MX";
        batch.op = {++seq, "server", "ratings.stored", R"([{"op":"add","path":"/ratings/stored","value":3}])", 1010};
        ASSERT_TRUE(append_sync(store, batch, answers));
        auto rows = store.ratings_of("K7Q4MX");
        EXPECT_EQ(rows.scores.size(), 4u);
        EXPECT_EQ(rows.comments, (std::vector<std::string>{"kommentti 3", "kommentti 6", "kommentti 9"}));
        EXPECT_TRUE(store.ratings_of("ZZZZZZ").scores.empty());
    }
    Raw raw(path);
    EXPECT_EQ(raw.column("SELECT name FROM pragma_table_info('rating_scores') ORDER BY cid"),
              (std::vector<std::string>{"id", "room", "question", "score"}));
    EXPECT_EQ(raw.column("SELECT name FROM pragma_table_info('rating_comments') ORDER BY cid"),
              (std::vector<std::string>{"id", "room", "text"}));
    // WITHOUT ROWID: no hidden insertion counter orders the rows.
    for (const char* t : {"rating_scores", "rating_comments"})
        EXPECT_THROW(raw.rows(std::string("SELECT rowid FROM ") + t), std::runtime_error) << t;
    // Keys are random 16-byte blobs, all different.
    auto keys = raw.column("SELECT hex(id) FROM rating_scores");
    EXPECT_EQ(std::set<std::string>(keys.begin(), keys.end()).size(), 4u);
    for (const auto& k : keys) EXPECT_EQ(k.size(), 32u);
    // No other table refers to them, and the op log holds no score or comment.
    for (const auto& table : raw.column("SELECT name FROM sqlite_schema WHERE type='table'"))
        for (const auto& fk : raw.column("SELECT \"table\" FROM pragma_foreign_key_list('" + table + "')"))
            EXPECT_TRUE(fk != "rating_scores" && fk != "rating_comments") << table;
    EXPECT_EQ(raw.scalar("SELECT count(*) FROM ops WHERE patch LIKE '%kommentti%' OR patch LIKE '%score%'"), "0");
}

// Answers go with their op: one transaction, both durable or neither (the old queue could
// commit the answer in a transaction of its own, before the op that says someone answered).
TEST_P(StoreMeetingsOn, AnswersAreWrittenOnlyWithTheirOp)
{
    auto store_opened = db.open();
    Store& store = *store_opened;
    store.create_room({"K7Q4MX", "f", "s", 1, ""}, new_state("K7Q4MX").dump());
    Append a;
    a.code = "K7Q4MX";
    a.op = {1, "server", "ratings.stored", "[]", 1001};
    ASSERT_TRUE(append_sync(store, a, {{"K7Q4MX", {{"heard", 4}}, "eka"}}));
    // The same seq again: the op cannot be written, so neither can its answers.
    EXPECT_FALSE(append_sync(store, a, {{"K7Q4MX", {{"heard", 9}}, "toka"}}));
    auto rows = store.ratings_of("K7Q4MX");
    EXPECT_EQ(rows.scores, (std::vector<std::pair<std::string, int>>{{"heard", 4}}));
    EXPECT_EQ(rows.comments, (std::vector<std::string>{"eka"}));
}

TEST_P(StoreMeetingsOn, StateAtAnySeqFromSnapshotsAndOps)
{
    auto store_opened = db.open();
    Store& store = *store_opened;
    json state = new_state("K7Q4MX");
    store.create_room({"K7Q4MX", "f", "s", 1, ""}, state.dump());
    std::vector<json> states{state};
    const keha::Actor server{"server", keha::Role::server};
    auto fac_result = keha::apply(state, server, {"participant.join", {{"name", "F"}, {"group", "other"}, {"role", "facilitator"}}}, {1, 1000});
    ASSERT_TRUE(std::holds_alternative<json>(fac_result));
    std::vector<json> patches{std::get<json>(fac_result)};
    states.push_back(state);
    const keha::Actor fac{"p1", keha::Role::facilitator};
    for (std::uint64_t seq = 2; seq <= 23; ++seq) {
        json args = {{"board", "timeline"}, {"column", "event"}, {"text", "Tapahtuma " + std::to_string(seq)}};
        auto r = keha::apply(state, fac, {"item.add", args}, {seq, 1000 + static_cast<std::int64_t>(seq)});
        ASSERT_TRUE(std::holds_alternative<json>(r));
        patches.push_back(std::get<json>(r));
        states.push_back(state);
    }
    for (std::uint64_t seq = 1; seq <= patches.size(); ++seq) {
        Append a;
        a.code = "K7Q4MX";
        a.op = {seq, "p1", "item.add", patches[seq - 1].dump(), 1000 + static_cast<std::int64_t>(seq)};
        if (seq % 5 == 0) a.snapshot = states[seq].dump();  // the store keeps seq 0 and the newest only
        ASSERT_TRUE(append_sync(store, a));
    }
    for (std::uint64_t seq = 0; seq < states.size(); ++seq) {
        auto h = store.state_at("K7Q4MX", seq);
        ASSERT_TRUE(h) << seq;
        EXPECT_EQ(h->seq, seq);
        EXPECT_EQ(h->last_seq, 23u);
        EXPECT_EQ(json::parse(h->state), states[seq]) << "seq " << seq;
        EXPECT_EQ(h->initial_phase, "opening");
    }
    auto beyond = store.state_at("K7Q4MX", 1000);
    ASSERT_TRUE(beyond);
    EXPECT_EQ(beyond->seq, 23u);
    EXPECT_EQ(json::parse(beyond->state), states.back());
    EXPECT_FALSE(store.state_at("ZZZZZZ", 3));
}

}  // namespace

namespace {

TEST_P(StoreMeetingsOn, SnapshotsEveryThousandOpsStayForHistory)
{
    {
        auto store_opened = db.open();
        Store& store = *store_opened;
        store.create_room({"K7Q4MX", "f", "s", 1, ""}, R"({"n":0})");
        for (std::uint64_t seq = 1; seq <= 2500; ++seq) {
            Append a;
            a.code = "K7Q4MX";
            a.op = {seq, "p1", "x", R"([{"op":"replace","path":"/n","value":)" + std::to_string(seq) + "}]", 1};
            if (seq % 200 == 0) a.snapshot = R"({"n":)" + std::to_string(seq) + "}";
            store.append(std::move(a), nullptr);
        }
        store.flush();
        for (std::uint64_t seq : {0u, 1u, 999u, 1000u, 1001u, 1999u, 2401u, 2500u}) {
            auto h = store.state_at("K7Q4MX", seq);
            ASSERT_TRUE(h);
            EXPECT_EQ(json::parse(h->state)["n"], seq);
        }
    }
    EXPECT_EQ(db.column("SELECT seq FROM snapshots WHERE room='K7Q4MX' ORDER BY seq"),
              (std::vector<std::string>{"0", "1000", "2000", "2400"}));
}

}  // namespace

namespace {

TEST_P(StoreMeetingsOn, OpTimesCarryOnlyThePatchesThatChangeThePhase)
{
    auto store_opened = db.open();
    Store& store = *store_opened;
    store.create_room({"K7Q4MX", "f", "s", 1, ""}, R"({"phase":"a"})");
    const char* patches[] = {R"([{"op":"add","path":"/x","value":1}])", R"([{"op":"replace","path":"/phase","value":"b"}])",
                             R"([{"op":"add","path":"/y","value":"/phase"}])"};
    for (std::uint64_t seq = 1; seq <= 3; ++seq) {
        Append a;
        a.code = "K7Q4MX";
        a.op = {seq, "p1", "x", patches[seq - 1], 1000 * static_cast<std::int64_t>(seq)};
        store.append(std::move(a), nullptr);
    }
    store.flush();
    auto t = store.op_times("K7Q4MX", 100);
    ASSERT_EQ(t.size(), 3u);
    EXPECT_EQ(t[0], (std::pair<std::int64_t, std::string>{1000, ""}));
    EXPECT_EQ(t[1].second, patches[1]);
    EXPECT_EQ(t[2].second, "") << "a value that merely contains the text is not a phase change";
    EXPECT_EQ(store.op_times("K7Q4MX", 1).size(), 1u);
}

}  // namespace

namespace {

// A SQLite file with one room's questionnaire answers, written as the room writes them.
void fill_answers(const keha::store_test::Test_db& file)
{
    auto opened = file.open();
    Store& store = *opened;
    store.create_room({"K7Q4MX", "f", "s", 1, ""}, new_state("K7Q4MX").dump());
    Append a;
    a.code = "K7Q4MX";
    a.op = {1, "server", "ratings.stored", "[]", 1001};
    ASSERT_TRUE(append_sync(store, a, {{"K7Q4MX", {{"heard", 4}, {"useful", 8}}, "Äänet kuuluivat"},
                                       {"K7Q4MX", {{"heard", 9}}, "aamulla parempi"}}));
}

}  // namespace

// migrate reads every room's questionnaire answers back through both stores (in an order of its
// own: the two databases sort text differently): a copy whose counts agree but whose answers
// do not is refused, and left for a person to look at.
TEST(StoreMeetings, MigrateComparesTheQuestionnaireAnswersNotOnlyTheirCount)
{
    using keha::store_test::Backend;
    using keha::store_test::Test_db;
    {
        const Test_db file(Backend::sqlite);
        const Test_db target(Backend::postgresql);
        fill_answers(file);
        EXPECT_NO_THROW(migrate_store(file.location(), target.location()));
    }
    const Test_db file(Backend::sqlite);
    const Test_db target(Backend::postgresql);
    fill_answers(file);
    const std::string refusal = keha::store_test::migrate_refusal(
        file, target,
        "CREATE FUNCTION keha_test_trim() RETURNS trigger LANGUAGE plpgsql AS "
        "$$BEGIN NEW.text := left(NEW.text, 3); RETURN NEW; END$$; "
        "CREATE TRIGGER keha_test_trim BEFORE INSERT ON rating_comments FOR EACH ROW EXECUTE FUNCTION keha_test_trim();");
    EXPECT_NE(refusal.find("the copy differs: room K7Q4MX's questionnaire answers"), std::string::npos)
        << "refused for: " << refusal;
}
