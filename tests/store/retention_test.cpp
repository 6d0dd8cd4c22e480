// The store's part for retention: deleting meetings, erasing an item's text from the history,
// the access log, and who may read the files.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <future>
#include <iterator>
#include <string>
#include <vector>

#include "keha/reducer.hpp"
#include "keha/state.hpp"
#include "sqlite_store.hpp"
#include "backends.hpp"
#include "store_calls.hpp"
#include "store_fixture.hpp"

namespace fs = std::filesystem;
using keha::json;
using namespace keha::server;

using keha::store_test::append_sync;
using keha::store_test::delete_sync;
using keha::store_test::new_state;
using keha::store_test::Raw;
using keha::store_test::Temp_dir;

namespace {

constexpr std::int64_t day = 24LL * 60 * 60 * 1000;
constexpr std::int64_t t0 = 1'780'000'000'000;

// A room driven by the real reducer, each op appended as the server appends it.
struct Meeting {
    Store& store;
    std::string code;
    json state;
    std::uint64_t seq = 0;

    Meeting(Store& s, std::string c, std::int64_t created_ms) : store(s), code(std::move(c)), state(new_state(code))
    {
        store.create_room({code, sha256_hex("f-" + code), sha256_hex("s-" + code), created_ms, ""}, state.dump());
    }
    // Applies the command as the facilitator p1; with `snapshot`, the state after it is stored too.
    std::uint64_t run(const std::string& cmd, const json& args, std::int64_t at_ms, bool snapshot = false)
    {
        auto result = keha::apply(state, keha::Actor{"p1", keha::Role::facilitator}, {cmd, args}, {seq + 1, at_ms});
        if (auto* e = std::get_if<keha::Error>(&result)) throw std::runtime_error(e->message);
        ++seq;
        Append a{code, Op_record{seq, "p1", cmd, std::get<json>(result).dump(), at_ms}, std::nullopt, std::nullopt};
        if (snapshot) a.snapshot = state.dump();
        if (!append_sync(store, std::move(a))) throw std::runtime_error("append failed");
        return seq;
    }
    void join(std::int64_t at_ms)
    {
        auto result = keha::apply(state, keha::Actor{"server", keha::Role::server},
                                  {"participant.join", {{"name", "Fasi"}, {"group", "other"}, {"role", "facilitator"}}},
                                  {seq + 1, at_ms});
        ++seq;
        Append a{code, Op_record{seq, "server", "participant.join", std::get<json>(result).dump(), at_ms}, std::nullopt,
                 std::pair{std::string("p1"), sha256_hex("token")}};
        if (!append_sync(store, std::move(a))) throw std::runtime_error("append failed");
    }
};

std::string file_bytes(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Whether the text is anywhere in the database file or its WAL, as bytes.
bool on_disk(const std::string& db, const std::string& text)
{
    return file_bytes(db).find(text) != std::string::npos || file_bytes(db + "-wal").find(text) != std::string::npos;
}

mode_t mode_of(const std::string& path)
{
    struct stat st{};
    if (::stat(path.c_str(), &st) != 0) return 0;
    return st.st_mode & 0777;
}

std::string count(const keha::store_test::Test_db& db, const std::string& table, const std::string& code)
{
    return db.scalar("SELECT count(*) FROM " + table + " WHERE " + (table == "rooms" ? "code" : "room") + " = '" + code + "'");
}

}  // namespace

TEST(StoreRetention, FilesAreReadableOnlyByTheServer)
{
    Temp_dir dir;
    const auto path = dir.file("keha.db");
    const mode_t old_umask = ::umask(022);
    {
        Sqlite_store store(path);
        Meeting m(store, "K7Q4MX", t0);
        m.join(t0);
        EXPECT_EQ(mode_of(path), 0600u);
        EXPECT_EQ(mode_of(path + "-wal"), 0600u);
        EXPECT_EQ(mode_of(path + "-shm"), 0600u);
    }
    // A file an earlier version left readable to everyone is closed on the next start.
    ::chmod(path.c_str(), 0644);
    {
        std::ofstream touch(path + "-wal", std::ios::app);
    }
    ::chmod((path + "-wal").c_str(), 0644);
    {
        Sqlite_store store(path);
        EXPECT_EQ(mode_of(path), 0600u);
        EXPECT_EQ(mode_of(path + "-wal"), 0600u);
        EXPECT_TRUE(store.room_exists("K7Q4MX"));
    }
    ::umask(old_umask);
}

TEST(StoreRetention, ErasingAnItemRemovesItsTextFromTheFileAndTheWal)
{
    Temp_dir dir;
    const auto path = dir.file("keha.db");
    const std::string code_in_text = "131052-308T";
    Sqlite_store store(path);
    Meeting m(store, "K7Q4MX", t0);
    m.join(t0);
    const auto added = m.run("item.add", {{"board", "timeline"}, {"column", "event"}, {"text", "Asiakas 131052-308T soitti"},
                                          {"when", "2025"}, {"sector", "koulu"}}, t0 + 1, true);
    const std::string id = "i" + std::to_string(added);
    m.run("item.add", {{"board", "timeline"}, {"column", "event"}, {"text", "Toinen asia jää"}}, t0 + 2);
    m.run("item.edit", {{"board", "timeline"}, {"id", id}, {"text", "Korjattu: 131052-308T ja koulukuraattori"}}, t0 + 3, true);
    store.flush();
    ASSERT_TRUE(on_disk(path, code_in_text)) << "the test looks for the text where it was written";

    // As the room does it: the erasure is queued with the delete op and committed with it.
    store.erase_item("K7Q4MX", "timeline", id);
    const auto deleted = m.run("item.delete", {{"board", "timeline"}, {"id", id}, {"erase", true}}, t0 + 4);

    EXPECT_FALSE(on_disk(path, code_in_text));
    EXPECT_FALSE(on_disk(path, "koulukuraattori"));
    EXPECT_FALSE(on_disk(path, "koulu\"")) << "the item's own fields go with its text";
    EXPECT_TRUE(on_disk(path, "Toinen asia j")) << "only that item is erased";

    // The ops stay, in order, with the text replaced; history shows an erased item.
    EXPECT_EQ(store.ops_between("K7Q4MX", 0, UINT64_MAX).size(), deleted);
    auto before = store.state_at("K7Q4MX", deleted - 1);
    ASSERT_TRUE(before);
    json item = json::parse(before->state)["boards"]["timeline"]["items"][id];
    EXPECT_EQ(item["text"], "");
    EXPECT_EQ(item["sector"], "");
    EXPECT_EQ(item["erased"], true);
    auto at_add = store.state_at("K7Q4MX", added);
    EXPECT_EQ(json::parse(at_add->state)["boards"]["timeline"]["items"][id]["text"], "");
    EXPECT_FALSE(json::parse(store.state_at("K7Q4MX", deleted)->state)["boards"]["timeline"]["items"].contains(id));
    // The room loads as before.
    auto loaded = store.load_room("K7Q4MX");
    ASSERT_TRUE(loaded);
    json state = json::parse(loaded->snapshot);
    for (const auto& op : loaded->ops) state.patch_inplace(json::parse(op.patch));
    EXPECT_EQ(state["boards"]["timeline"]["items"].size(), 1u);
}

// Deleting and the access log on both backends (backends.hpp).
class StoreRetentionOn : public keha::store_test::On_backends {};
KEHA_ON_BOTH_BACKENDS(StoreRetentionOn);

TEST_P(StoreRetentionOn, SweepDeletesMeetingsWhoseTimeIsUp)
{
    auto store_opened = db.open();
    Store& store = *store_opened;
    Meeting closed_early(store, "AAAAAA", t0);
    closed_early.join(t0);
    closed_early.run("item.add", {{"board", "vision"}, {"column", "vision"}, {"text", "Salainen visio"}}, t0 + 1, true);
    closed_early.run("room.close", json::object(), t0 + 2);
    {
        // A questionnaire answer, written with its op as the room writes a batch.
        Append a{"AAAAAA", Op_record{++closed_early.seq, "server", "ratings.stored", "[]", t0 + 2}, std::nullopt, std::nullopt};
        std::promise<bool> done;
        auto written = done.get_future();
        store.append(std::move(a), {{"AAAAAA", {{"heard", 7}}, std::string("Hyvä kokous")}}, [&](bool ok) { done.set_value(ok); });
        ASSERT_TRUE(written.get());
    }
    Meeting open_idle(store, "BBBBBB", t0);
    open_idle.join(t0 + 80 * day);
    Meeting closed_late(store, "CCCCCC", t0);
    closed_late.join(t0);
    closed_late.run("room.close", json::object(), t0 + 60 * day);
    store.flush();

    EXPECT_TRUE(store.expired_rooms(t0 + 90 * day, 90).empty());
    EXPECT_EQ(store.expired_rooms(t0 + 91 * day, 90), (std::vector<std::string>{"AAAAAA"}));
    EXPECT_EQ(store.expired_rooms(t0 + 151 * day, 90), (std::vector<std::string>{"AAAAAA", "CCCCCC"}));
    EXPECT_EQ(store.expired_rooms(t0 + 171 * day, 90), (std::vector<std::string>{"AAAAAA", "BBBBBB", "CCCCCC"}));

    ASSERT_TRUE(delete_sync(store, "AAAAAA"));
    for (const char* table : {"rooms", "ops", "snapshots", "tokens", "rating_scores", "rating_comments"}) {
        EXPECT_EQ(count(db, table, "AAAAAA"), "0") << table;
        EXPECT_NE(count(db, table == std::string("rating_scores") || table == std::string("rating_comments") ? "rooms" : table,
                        "CCCCCC"),
                  "0")
            << table;
    }
    EXPECT_FALSE(store.room_exists("AAAAAA"));
    EXPECT_FALSE(store.load_room("AAAAAA"));
    EXPECT_TRUE(store.load_room("CCCCCC"));
    if (GetParam() == keha::store_test::Backend::sqlite) {  // PostgreSQL's files: pg_store_retention.cpp's vacuum
        EXPECT_FALSE(on_disk(db.location(), "Salainen visio"));
        EXPECT_FALSE(on_disk(db.location(), "Hyvä kokous"));
    }
    EXPECT_EQ(store.expired_rooms(t0 + 171 * day, 90), (std::vector<std::string>{"BBBBBB", "CCCCCC"}));
    if (GetParam() == keha::store_test::Backend::sqlite) {
        EXPECT_EQ(db.scalar("PRAGMA foreign_key_check"), "");
    }
}

TEST_P(StoreRetentionOn, AccessLogOutlivesTheMeetingAndThenGoes)
{
    auto store_opened = db.open();
    Store& store = *store_opened;
    Meeting gone(store, "AAAAAA", t0);
    Meeting kept(store, "BBBBBB", t0);
    store.log_access({t0 + 1, "AAAAAA", "join", "participant", "p2", "Maija", "10.0.0.7", ""});
    store.log_access({t0 + 2, "AAAAAA", "export", "facilitator", "", "", "10.0.0.8", "format=md"});
    store.log_access({t0 + 3, "BBBBBB", "join", "facilitator", "p1", "Fasi", "10.0.0.9", ""});
    store.log_access({t0 + 4, "ZZZZZZ", "unknown_room", "", "", "", "10.0.0.66", "hello"});
    store.flush();

    auto rows = store.access_log("AAAAAA");
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].event, "join");
    EXPECT_EQ(rows[0].name, "Maija");
    EXPECT_EQ(rows[0].address, "10.0.0.7");
    EXPECT_EQ(rows[1].detail, "format=md");
    EXPECT_TRUE(store.access_log("AAAAAA", t0 + 3).empty()) << "a later meeting with the same code sees none of these";
    EXPECT_EQ(store.access_log(std::nullopt).size(), 4u);

    ASSERT_TRUE(delete_sync(store, "AAAAAA"));
    EXPECT_EQ(store.access_log("AAAAAA").size(), 2u) << "deleting the meeting keeps who opened it";
    EXPECT_EQ(store.prune_access_log(t0 + 700 * day, 730), 0);
    EXPECT_EQ(store.access_log(std::nullopt).size(), 4u);
    EXPECT_EQ(store.prune_access_log(t0 + 731 * day, 730), 3) << "the deleted meeting's rows and the unknown code's";
    EXPECT_TRUE(store.access_log("AAAAAA").empty());
    ASSERT_EQ(store.access_log(std::nullopt).size(), 1u) << "a meeting still kept keeps its rows";
    EXPECT_EQ(store.access_log(std::nullopt)[0].room, "BBBBBB");
    if (GetParam() == keha::store_test::Backend::sqlite) {
        EXPECT_FALSE(on_disk(db.location(), "Maija"));
    }
    EXPECT_NE(db.try_exec("UPDATE access_log SET name = 'someone else'"), "") << "the log is append-only";
    EXPECT_EQ(db.scalar("SELECT name FROM access_log"), "Fasi");
}
