// Quick polls' anonymous values in the store (docs/privacy.md, "Anonymous polls"): written in
// the commit of the poll.tally that releases them, gone with their meeting whether a
// facilitator deletes it or the retention sweep does, copied and checked by keha-server
// migrate, and the table a version-5 database gains. On both backends where both have it.
#include <gtest/gtest.h>

#include <fstream>
#include <future>
#include <iterator>
#include <set>
#include <string>
#include <vector>

#include "backends.hpp"
#include "keha/polls.hpp"
#include "keha/reducer.hpp"
#include "keha/state.hpp"
#include "pg_store.hpp"
#include "sqlite_store.hpp"
#include "store_calls.hpp"
#include "store_migrate.hpp"

using keha::json;
using namespace keha::server;
using keha::store_test::append_sync;
using keha::store_test::Backend;
using keha::store_test::delete_sync;
using keha::store_test::migrate_refusal;
using keha::store_test::new_state;
using keha::store_test::Test_db;

class PollValuesOn : public keha::store_test::On_backends {};
KEHA_ON_BOTH_BACKENDS(PollValuesOn);

namespace {

constexpr std::int64_t day = 24LL * 60 * 60 * 1000;
constexpr std::int64_t t0 = 1'780'000'000'000;

// A room driven by the real reducer, each op appended as the server appends it; a poll's
// answers released as the room releases them (server/command_inputs.cpp anonymous_rows): one
// poll.tally op and, in its commit, each value a row of poll_values.
struct Poll_meeting {
    Store& store;
    std::string code;
    json state;
    std::uint64_t seq = 0;

    // A room the store already holds, at its last seq.
    Poll_meeting(Store& s, std::string c, json at, std::uint64_t last) : store(s), code(std::move(c)), state(std::move(at)), seq(last) {}
    // A new room with its facilitator p1.
    static Poll_meeting create(Store& s, const std::string& code, std::int64_t at_ms)
    {
        Poll_meeting m(s, code, new_state(code), 0);
        s.create_room({code, sha256_hex("f-" + code), sha256_hex("s-" + code), at_ms, ""}, m.state.dump());
        m.run("server", "participant.join", {{"name", "Fasi"}, {"group", "other"}, {"role", "facilitator"}}, at_ms);
        return m;
    }
    Append next(const std::string& by, const std::string& cmd, const json& args, std::int64_t at_ms)
    {
        const keha::Actor actor{by, by == "server" ? keha::Role::server : keha::Role::facilitator};
        auto result = keha::apply(state, actor, {cmd, args}, {seq + 1, at_ms});
        if (auto* e = std::get_if<keha::Error>(&result)) throw std::runtime_error(cmd + ": " + e->message);
        ++seq;
        Append a;
        a.code = code;
        a.op = {seq, by, cmd, std::get<json>(result).dump(), at_ms};
        return a;
    }
    void commit(Append a)
    {
        if (!append_sync(store, std::move(a))) throw std::runtime_error("append failed");
    }
    void run(const std::string& by, const std::string& cmd, const json& args, std::int64_t at_ms)
    {
        commit(next(by, cmd, args, at_ms));
    }
    std::string open_words(std::int64_t at_ms)
    {
        run("p1", "poll.open", {{"kind", "words"}, {"question", "Yksi sana tunnelmasta?"}}, at_ms);
        return "l" + std::to_string(seq);
    }
    void tally(const std::string& poll, const json& answers, std::int64_t at_ms)
    {
        Append a = next("server", "poll.tally", {{"topic", keha::poll_topic(poll)}, {"answers", answers}}, at_ms);
        for (const auto& answer : answers)
            for (auto& value : keha::poll_values(answer)) a.poll_values.push_back({poll, std::move(value)});
        commit(std::move(a));
    }
};

const json three_answers = json::array({{{"words", {"kiire", "salainensana"}}}, {{"words", {"luottamus"}}}, {{"words", {"kiire"}}}});
const json other_answers = json::array({{{"words", {"toivo"}}}, {{"words", {"toivo"}}}, {{"words", {"rauha"}}}});

std::string count(const Test_db& db, const std::string& code)
{
    return db.scalar("SELECT count(*) FROM poll_values WHERE room = '" + code + "'");
}

// The values of a room as the store reads them back: (poll, value), ordered.
std::vector<std::pair<std::string, std::string>> values_of(Store& store, const std::string& code)
{
    std::vector<std::pair<std::string, std::string>> out;
    for (auto& v : store.poll_values_of(code)) out.emplace_back(v.poll, v.value);
    return out;
}

std::string file_bytes(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Whether the text is anywhere in the SQLite file or its WAL, as bytes.
bool on_disk(const std::string& db, const std::string& text)
{
    return file_bytes(db).find(text) != std::string::npos || file_bytes(db + "-wal").find(text) != std::string::npos;
}

}  // namespace

TEST_P(PollValuesOn, DeletingAMeetingDeletesItsValuesAndNoOtherRooms)
{
    auto store_opened = db.open();
    Store& store = *store_opened;
    auto gone = Poll_meeting::create(store, "AAAAAA", t0);
    auto kept = Poll_meeting::create(store, "BBBBBB", t0);
    const auto a = gone.open_words(t0 + 1);
    gone.tally(a, three_answers, t0 + 2);
    const auto b = kept.open_words(t0 + 3);
    kept.tally(b, other_answers, t0 + 4);
    using Rows = std::vector<std::pair<std::string, std::string>>;
    ASSERT_EQ(values_of(store, "AAAAAA"), (Rows{{a, "kiire"}, {a, "kiire"}, {a, "luottamus"}, {a, "salainensana"}}));
    const Rows other{{b, "rauha"}, {b, "toivo"}, {b, "toivo"}};
    ASSERT_EQ(values_of(store, "BBBBBB"), other);

    ASSERT_TRUE(delete_sync(store, "AAAAAA"));
    EXPECT_EQ(count(db, "AAAAAA"), "0");
    EXPECT_TRUE(store.poll_values_of("AAAAAA").empty());
    EXPECT_EQ(values_of(store, "BBBBBB"), other) << "another room's values stay";
    EXPECT_EQ(count(db, "BBBBBB"), "3");
    if (GetParam() == Backend::sqlite) {  // PostgreSQL's files: pg_store_retention.cpp's vacuum
        EXPECT_FALSE(on_disk(db.location(), "salainensana"));
        EXPECT_TRUE(on_disk(db.location(), "rauha"));
        EXPECT_EQ(db.scalar("PRAGMA foreign_key_check"), "");
    }
}

// The sweep (server/retention.cpp) deletes what expired_rooms names, as a facilitator would.
TEST_P(PollValuesOn, TheRetentionSweepDeletesAnExpiredMeetingsValues)
{
    auto store_opened = db.open();
    Store& store = *store_opened;
    auto expired = Poll_meeting::create(store, "AAAAAA", t0);
    expired.tally(expired.open_words(t0 + 1), three_answers, t0 + 2);
    expired.run("p1", "room.close", json::object(), t0 + 3);
    auto recent = Poll_meeting::create(store, "BBBBBB", t0);
    recent.tally(recent.open_words(t0 + 80 * day), other_answers, t0 + 80 * day);
    EXPECT_EQ(count(db, "AAAAAA"), "4");

    const auto due = store.expired_rooms(t0 + 91 * day, 90);
    ASSERT_EQ(due, (std::vector<std::string>{"AAAAAA"}));
    for (const auto& code : due) ASSERT_TRUE(delete_sync(store, code));
    EXPECT_EQ(count(db, "AAAAAA"), "0");
    EXPECT_EQ(count(db, "BBBBBB"), "3");
    EXPECT_EQ(db.scalar("SELECT count(*) FROM poll_values"), "3") << "no row of the expired room is left under any name";
}

// A database as version 5 left it: no poll_values, snapshots without "polls". Opening it
// migrates it to 6: the table is there and every room's snapshots gain "polls": {}.
TEST_P(PollValuesOn, AVersionFiveDatabaseGainsTheTableAndItsRoomsThePolls)
{
    std::uint64_t last = 0;
    {
        auto store = db.open();
        auto m = Poll_meeting::create(*store, "AAAAAA", t0);
        Append step = m.next("p1", "item.add", {{"board", "vision"}, {"column", "vision"}, {"text", "Visio"}}, t0 + 1);
        step.snapshot = m.state.dump();
        m.commit(std::move(step));
        last = m.seq;
    }
    const bool sqlite = GetParam() == Backend::sqlite;
    db.exec(sqlite ? "DROP TABLE poll_values; UPDATE snapshots SET state = json_remove(state, '$.polls'); "
                     "PRAGMA user_version = 5;"
                   : "DROP TABLE poll_values; UPDATE snapshots SET state = (state::jsonb - 'polls')::text; "
                     "UPDATE keha_schema SET version = 5;");
    for (const auto& s : db.column("SELECT state FROM snapshots")) ASSERT_FALSE(json::parse(s).contains("polls"));
    ASSERT_EQ(db.column("SELECT seq FROM snapshots ORDER BY seq"), (std::vector<std::string>{"0", std::to_string(last)}));

    auto store = db.open();
    EXPECT_EQ(db.scalar(sqlite ? "PRAGMA user_version" : "SELECT version FROM keha_schema"), "6");
    for (const auto& s : db.column("SELECT state FROM snapshots")) EXPECT_EQ(json::parse(s)["polls"], json::object());
    auto loaded = store->load_room("AAAAAA");
    ASSERT_TRUE(loaded);
    json state = json::parse(loaded->snapshot);
    EXPECT_EQ(state["boards"]["vision"]["items"].size(), 1u) << "nothing of the room is lost";
    // The migrated room takes polls, and their values are written with their tally.
    Poll_meeting m(*store, "AAAAAA", state, last);
    const auto poll = m.open_words(t0 + 2);
    m.tally(poll, three_answers, t0 + 3);
    EXPECT_EQ(store->poll_values_of("AAAAAA").size(), 4u);
    EXPECT_EQ(count(db, "AAAAAA"), "4");
}

namespace {

// A SQLite file with two rooms' poll values, for migrate.
void fill(const Test_db& file)
{
    auto store = file.open();
    auto a = Poll_meeting::create(*store, "AAAAAA", t0);
    a.tally(a.open_words(t0 + 1), three_answers, t0 + 2);
    auto b = Poll_meeting::create(*store, "BBBBBB", t0);
    b.tally(b.open_words(t0 + 3), other_answers, t0 + 4);
}

}  // namespace

TEST(PollValues, MigrateCopiesThemWithTheirKeys)
{
    const Test_db file(Backend::sqlite);
    const Test_db target(Backend::postgresql);
    fill(file);
    const auto migrated = migrate_store(file.location(), target.location());
    EXPECT_EQ(migrated.rows.at("poll_values"), 7);
    EXPECT_EQ(target.scalar("SELECT count(*) FROM poll_values"), "7");
    Sqlite_store source(file.location(), Sqlite_store::Read_only{});
    Pg_store copy(target.location(), Pg_store::Read_only{});
    for (const char* code : {"AAAAAA", "BBBBBB"}) {
        EXPECT_EQ(values_of(copy, code), values_of(source, code)) << code;
        EXPECT_EQ(count(target, code), count(file, code)) << code;
    }
    // The random keys too: nothing new is made up for a row, nothing of a row is lost.
    const auto keys = [](const Test_db& db, const std::string& sql) {
        auto rows = db.column(sql);
        return std::set<std::string>(rows.begin(), rows.end());
    };
    EXPECT_EQ(keys(target, "SELECT upper(replace(id::text, '-', '')) || room || poll || value FROM poll_values"),
              keys(file, "SELECT hex(id) || room || poll || value FROM poll_values"));
}

// migrate reads every room's values back through both stores: a copy whose counts agree but
// whose values do not is refused.
TEST(PollValues, MigrateRefusesACopyWhoseValuesDiffer)
{
    const Test_db file(Backend::sqlite);
    const Test_db target(Backend::postgresql);
    fill(file);
    const std::string refusal = migrate_refusal(
        file, target,
        "CREATE FUNCTION keha_test_shout() RETURNS trigger LANGUAGE plpgsql AS "
        "$$BEGIN NEW.value := upper(NEW.value); RETURN NEW; END$$; "
        "CREATE TRIGGER keha_test_shout BEFORE INSERT ON poll_values FOR EACH ROW EXECUTE FUNCTION keha_test_shout();");
    EXPECT_NE(refusal.find("the copy differs: room AAAAAA's poll values"), std::string::npos) << "refused for: " << refusal;
}
