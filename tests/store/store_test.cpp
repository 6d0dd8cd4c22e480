#include "sqlite_store.hpp"
#include "appends_coming.hpp"
#include "backends.hpp"
#include "store_fixture.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "keha/reducer.hpp"
#include "keha/state.hpp"

namespace fs = std::filesystem;
using keha::server::Append;
using keha::server::Op_record;
using keha::server::Room_record;
using keha::server::Sqlite_store;
using keha::server::Store;
using keha::server::Store_error;

using keha::store_test::Raw;
using keha::store_test::Temp_dir;

namespace {

Room_record room(const std::string& code) {
    return {code, keha::server::sha256_hex("fkey-" + code), keha::server::sha256_hex("skey-" + code),
            1'700'000'000'000, ""};
}

std::string patch_for(std::uint64_t seq) {
    return R"([{"op":"add","path":"/n/)" + std::to_string(seq) + R"(","value":"v)" +
           std::to_string(seq) + R"("}])";
}

Append step(const std::string& code, std::uint64_t seq) {
    Append a;
    a.code = code;
    a.op = {seq, "p1", "item.add", patch_for(seq), 1'700'000'000'000 + static_cast<std::int64_t>(seq)};
    return a;
}

// Appends and waits for the outcome.
bool append_sync(Store& store, Append a) {
    std::mutex m;
    std::condition_variable cv;
    std::optional<bool> result;
    store.append(std::move(a), [&](bool ok) {
        std::lock_guard lk(m);
        result = ok;
        cv.notify_one();
    });
    std::unique_lock lk(m);
    cv.wait(lk, [&] { return result.has_value(); });
    return *result;
}

// Holds the writer thread inside a done callback until released, so that everything queued
// meanwhile is waiting for the next batch.
class Writer_gate {
public:
    std::function<void(bool)> hold() {
        return [this](bool) {
            std::unique_lock lk(m_);
            held_ = true;
            cv_.notify_all();
            cv_.wait(lk, [&] { return open_; });
        };
    }
    void wait_held() {
        std::unique_lock lk(m_);
        cv_.wait(lk, [&] { return held_; });
    }
    void open() {
        std::lock_guard lk(m_);
        open_ = true;
        cv_.notify_all();
    }

private:
    std::mutex m_;
    std::condition_variable cv_;
    bool held_ = false;
    bool open_ = false;
};

void expect_seqs(const std::vector<Op_record>& ops, std::uint64_t first, std::uint64_t last) {
    ASSERT_EQ(ops.size(), last - first + 1);
    for (std::size_t i = 0; i < ops.size(); ++i) {
        EXPECT_EQ(ops[i].seq, first + i);
        EXPECT_EQ(ops[i].patch, patch_for(first + i));
    }
}

}  // namespace

// The store interface on both backends (backends.hpp); the file's and PostgreSQL's own
// behaviour (journal mode, file permissions, another program's lock) further down and in
// pg_store_test.cpp.
class StoreOn : public keha::store_test::On_backends {};
KEHA_ON_BOTH_BACKENDS(StoreOn);

// ---- rooms ------------------------------------------------------------------------------

TEST_P(StoreOn, CreatesFindsAndLoadsRoomInMemory) {
    auto store_opened = db.open();
    Store& store = *store_opened;
    EXPECT_FALSE(store.room_exists("K7Q4MX"));
    store.create_room(room("K7Q4MX"), R"({"room":{"code":"K7Q4MX"}})");
    EXPECT_TRUE(store.room_exists("K7Q4MX"));
    EXPECT_FALSE(store.room_exists("AAAAAA"));

    auto found = store.find_room("K7Q4MX");
    ASSERT_TRUE(found);
    EXPECT_EQ(found->code, "K7Q4MX");
    EXPECT_EQ(found->facilitator_key_hash, room("K7Q4MX").facilitator_key_hash);
    EXPECT_EQ(found->screen_key_hash, room("K7Q4MX").screen_key_hash);
    EXPECT_EQ(found->created_at_ms, 1'700'000'000'000);

    auto loaded = store.load_room("K7Q4MX");
    ASSERT_TRUE(loaded);
    EXPECT_EQ(loaded->snapshot_seq, 0u);
    EXPECT_EQ(loaded->snapshot, R"({"room":{"code":"K7Q4MX"}})");
    EXPECT_TRUE(loaded->ops.empty());
    EXPECT_TRUE(loaded->token_hashes.empty());
}

TEST_P(StoreOn, CreatesFindsAndLoadsRoomInFile) {
    auto store_opened = db.open();
    Store& store = *store_opened;
    store.create_room(room("K7Q4MX"), "{}");
    EXPECT_TRUE(store.room_exists("K7Q4MX"));
    ASSERT_TRUE(store.find_room("K7Q4MX"));
    ASSERT_TRUE(store.load_room("K7Q4MX"));
    EXPECT_EQ(store.load_room("K7Q4MX")->snapshot, "{}");
}

TEST_P(StoreOn, CreateRoomIsDurableOnReturn) {
    auto store_opened = db.open();
    Store& store = *store_opened;
    store.create_room(room("K7Q4MX"), "{\"a\":1}");
    EXPECT_EQ(db.scalar("SELECT code FROM rooms"), "K7Q4MX");
    EXPECT_EQ(db.scalar("SELECT state FROM snapshots WHERE room='K7Q4MX' AND seq=0"), "{\"a\":1}");
}

TEST_P(StoreOn, CreatingAnExistingRoomCodeThrows) {
    auto store_opened = db.open();
    Store& store = *store_opened;
    store.create_room(room("K7Q4MX"), "{}");
    try {
        store.create_room(room("K7Q4MX"), "{}");
        FAIL() << "expected Store_error";
    } catch (const Store_error& e) {
        EXPECT_NE(std::string(e.what()).find("already exists"), std::string::npos) << e.what();
    }
    // The store still works afterwards.
    EXPECT_TRUE(append_sync(store, step("K7Q4MX", 1)));
}

TEST(Store, AWriteLockHeldPastTheBusyTimeoutMakesWritesUnavailableUntilItIsReleased) {
    Temp_dir dir;
    Sqlite_store store(dir.file("keha.db"));
    store.create_room(room("K7Q4MX"), "{}");
    Raw other(dir.file("keha.db"));
    other.exec("BEGIN IMMEDIATE");
    // Not "the code exists": a failure the caller answers with "try again later".
    EXPECT_THROW(store.create_room(room("AAAAAA"), "{}"), keha::server::Store_unavailable);
    EXPECT_FALSE(store.room_exists("AAAAAA"));
    EXPECT_TRUE(store.room_exists("K7Q4MX")) << "reads go on while another program holds the write lock";
    other.exec("ROLLBACK");
    std::promise<std::string> created;
    store.create_room_async(room("AAAAAA"), "{}", [&](const std::string& error) { created.set_value(error); });
    EXPECT_EQ(created.get_future().get(), "");
    EXPECT_TRUE(store.room_exists("AAAAAA"));
    try {
        store.create_room(room("AAAAAA"), "{}");
        FAIL() << "expected Store_error";
    } catch (const keha::server::Store_unavailable&) {
        FAIL() << "an existing code is not a store that is unavailable";
    } catch (const Store_error&) {
    }
}

TEST_P(StoreOn, UnknownRoomIsAbsentEverywhere) {
    auto store_opened = db.open();
    Store& store = *store_opened;
    EXPECT_FALSE(store.room_exists("NOPE22"));
    EXPECT_FALSE(store.find_room("NOPE22"));
    EXPECT_FALSE(store.load_room("NOPE22"));
    EXPECT_TRUE(store.ops_between("NOPE22", 0, 100).empty());
}

// ---- appends ----------------------------------------------------------------------------

TEST_P(StoreOn, AppendsAreCommittedAndReportedInCallOrder) {
    auto store_opened = db.open();
    Store& store = *store_opened;
    store.create_room(room("K7Q4MX"), "{}");
    std::vector<std::uint64_t> reported;
    std::mutex m;
    for (std::uint64_t seq = 1; seq <= 1000; ++seq)
        store.append(step("K7Q4MX", seq), [&, seq](bool ok) {
            EXPECT_TRUE(ok);
            std::lock_guard lk(m);
            reported.push_back(seq);
        });
    store.flush();
    ASSERT_EQ(reported.size(), 1000u);
    for (std::size_t i = 0; i < reported.size(); ++i) EXPECT_EQ(reported[i], i + 1);
    auto loaded = store.load_room("K7Q4MX");
    ASSERT_TRUE(loaded);
    expect_seqs(loaded->ops, 1, 1000);
    EXPECT_EQ(loaded->ops[41].by, "p1");
    EXPECT_EQ(loaded->ops[41].cmd, "item.add");
    EXPECT_EQ(loaded->ops[41].at_ms, 1'700'000'000'042);
}

TEST_P(StoreOn, DoneRunsOnlyAfterTheOpIsVisibleToAnotherConnection) {
    auto store_opened = db.open();
    Store& store = *store_opened;
    store.create_room(room("K7Q4MX"), "{}");
    std::atomic<int> seen{0};
    for (std::uint64_t seq = 1; seq <= 50; ++seq)
        store.append(step("K7Q4MX", seq), [&, seq](bool ok) {
            EXPECT_TRUE(ok);
            auto patch = db.scalar("SELECT patch FROM ops WHERE room='K7Q4MX' AND seq=" +
                                      std::to_string(seq));
            if (patch == patch_for(seq)) ++seen;
        });
    store.flush();
    EXPECT_EQ(seen.load(), 50);
}

TEST_P(StoreOn, FlushWaitsForEveryQueuedAppend) {
    auto store_opened = db.open();
    Store& store = *store_opened;
    store.create_room(room("K7Q4MX"), "{}");
    std::atomic<int> done{0};
    for (std::uint64_t seq = 1; seq <= 300; ++seq)
        store.append(step("K7Q4MX", seq), [&](bool ok) { done += ok ? 1 : 0; });
    store.flush();
    EXPECT_EQ(done.load(), 300);
    expect_seqs(store.ops_between("K7Q4MX", 0, 300), 1, 300);
}

TEST_P(StoreOn, FlushWithNothingQueuedReturns) {
    auto store_opened = db.open();
    Store& store = *store_opened;
    store.flush();
    store.flush();
    SUCCEED();
}

TEST_P(StoreOn, DestructorCommitsPendingAppends) {
    std::atomic<int> done{0};
    {
        auto store_opened = db.open();
        Store& store = *store_opened;
        store.create_room(room("K7Q4MX"), "{}");
        for (std::uint64_t seq = 1; seq <= 200; ++seq)
            store.append(step("K7Q4MX", seq), [&](bool ok) { done += ok ? 1 : 0; });
    }
    EXPECT_EQ(done.load(), 200);
    auto reopened_opened = db.open();
    Store& reopened = *reopened_opened;
    expect_seqs(reopened.ops_between("K7Q4MX", 0, 1000), 1, 200);
}

TEST_P(StoreOn, GroupCommitPutsEverythingQueuedMeanwhileInOneTransaction) {
    auto store_opened = db.open();
    Store& store = *store_opened;
    constexpr int threads = 4;
    constexpr std::uint64_t per_thread = 250;
    for (int t = 0; t < threads; ++t) store.create_room(room("ROOM0" + std::to_string(t)), "{}");
    store.create_room(room("GATE22"), "{}");

    // While the writer is held in a callback, four threads queue a thousand appends.
    Writer_gate gate;
    auto before = store.commits();
    store.append(step("GATE22", 1), gate.hold());
    gate.wait_held();

    std::atomic<int> ok_count{0};
    std::vector<std::thread> producers;
    for (int t = 0; t < threads; ++t)
        producers.emplace_back([&, t] {
            for (std::uint64_t seq = 1; seq <= per_thread; ++seq)
                store.append(step("ROOM0" + std::to_string(t), seq),
                             [&](bool ok) { ok_count += ok ? 1 : 0; });
        });
    for (auto& p : producers) p.join();
    gate.open();
    store.flush();

    EXPECT_EQ(ok_count.load(), threads * static_cast<int>(per_thread));
    // One commit for the gate's append, one for all thousand others.
    EXPECT_EQ(store.commits() - before, 2u);
    for (int t = 0; t < threads; ++t)
        expect_seqs(store.ops_between("ROOM0" + std::to_string(t), 0, per_thread), 1, per_thread);
}

TEST_P(StoreOn, GroupCommitBatchesFreeRunningAppendsFromManyThreads) {
    auto store_opened = db.open();
    Store& store = *store_opened;
    constexpr int threads = 8;
    constexpr std::uint64_t per_thread = 300;
    for (int t = 0; t < threads; ++t) store.create_room(room("ROOM0" + std::to_string(t)), "{}");
    auto before = store.commits();

    std::atomic<int> ok_count{0};
    std::vector<std::thread> producers;
    for (int t = 0; t < threads; ++t)
        producers.emplace_back([&, t] {
            for (std::uint64_t seq = 1; seq <= per_thread; ++seq)
                store.append(step("ROOM0" + std::to_string(t), seq),
                             [&](bool ok) { ok_count += ok ? 1 : 0; });
        });
    for (auto& p : producers) p.join();
    store.flush();

    const auto appends = threads * per_thread;
    EXPECT_EQ(ok_count.load(), static_cast<int>(appends));
    EXPECT_LT(store.commits() - before, appends / 4) << "commits for " << appends << " appends";
    for (int t = 0; t < threads; ++t)
        expect_seqs(store.ops_between("ROOM0" + std::to_string(t), 0, per_thread), 1, per_thread);
}

// Rooms applying commands announce their appends (appends_coming.hpp) and the writer waits a
// little for them before it commits; an announced append that never comes holds no commit
// for longer than that, on either backend.
TEST_P(StoreOn, AppendsAnnouncedButNeverComingHoldNoCommit) {
    auto store_opened = db.open();
    Store& store = *store_opened;
    store.create_room(room("K7Q4MX"), "{}");
    ++keha::server::appends_coming;
    std::vector<bool> acked;
    for (std::uint64_t seq = 1; seq <= 3; ++seq) acked.push_back(append_sync(store, step("K7Q4MX", seq)));
    --keha::server::appends_coming;
    EXPECT_EQ(acked, (std::vector<bool>{true, true, true}));
    expect_seqs(store.ops_between("K7Q4MX", 0, 100), 1, 3);
}

TEST_P(StoreOn, FailedBatchRollsBackAndReportsEveryAppendAsFailed) {
    auto store_opened = db.open();
    Store& store = *store_opened;
    store.create_room(room("K7Q4MX"), "{}");
    store.create_room(room("OTHER2"), "{}");
    ASSERT_TRUE(append_sync(store, step("K7Q4MX", 1)));

    Writer_gate gate;
    store.append(step("K7Q4MX", 2), gate.hold());
    gate.wait_held();
    // One batch: good appends around a duplicate (room, seq).
    std::vector<int> results;
    std::mutex m;
    auto record = [&](bool ok) {
        std::lock_guard lk(m);
        results.push_back(ok ? 1 : 0);
    };
    Append with_extras = step("OTHER2", 1);
    with_extras.snapshot = R"({"s":1})";
    with_extras.token = {"p1", keha::server::sha256_hex("token")};
    store.append(with_extras, record);
    store.append(step("K7Q4MX", 3), record);
    store.append(step("K7Q4MX", 2), record);  // duplicate of the gate's op
    store.append(step("K7Q4MX", 4), record);
    gate.open();
    store.flush();

    EXPECT_EQ(results, (std::vector<int>{0, 0, 0, 0}));
    expect_seqs(store.ops_between("K7Q4MX", 0, 100), 1, 2);
    EXPECT_TRUE(store.ops_between("OTHER2", 0, 100).empty());
    auto other = store.load_room("OTHER2");
    ASSERT_TRUE(other);
    EXPECT_EQ(other->snapshot_seq, 0u);
    EXPECT_TRUE(other->token_hashes.empty());

    // Until a room of the failed batch has rolled back, its appends fail without being written:
    // an op built on a refused one must not land behind a gap. Other rooms go on.
    EXPECT_FALSE(append_sync(store, step("K7Q4MX", 3)));
    EXPECT_FALSE(append_sync(store, with_extras));
    expect_seqs(store.ops_between("K7Q4MX", 0, 100), 1, 2);
    EXPECT_TRUE(store.ops_between("OTHER2", 0, 100).empty());
    store.create_room(room("THIRD3"), "{}");
    EXPECT_TRUE(append_sync(store, step("THIRD3", 1)));

    // The writer goes on: the same appends succeed once the rooms accept appends again.
    store.accept_appends("K7Q4MX");
    store.accept_appends("OTHER2");
    EXPECT_TRUE(append_sync(store, step("K7Q4MX", 3)));
    EXPECT_TRUE(append_sync(store, with_extras));
    EXPECT_EQ(store.load_room("OTHER2")->snapshot_seq, 1u);
}

TEST_P(StoreOn, AppendToUnknownRoomFails) {
    auto store_opened = db.open();
    Store& store = *store_opened;
    EXPECT_FALSE(append_sync(store, step("NOPE22", 1)));
}

TEST_P(StoreOn, ThrowingDoneCallbackDoesNotStopTheWriter) {
    auto store_opened = db.open();
    Store& store = *store_opened;
    store.create_room(room("K7Q4MX"), "{}");
    store.append(step("K7Q4MX", 1), [](bool) { throw std::runtime_error("callback bug"); });
    EXPECT_TRUE(append_sync(store, step("K7Q4MX", 2)));
}

TEST_P(StoreOn, CreateRoomAndFlushWorkFromInsideDoneCallback) {
    auto store_opened = db.open();
    Store& store = *store_opened;
    store.create_room(room("K7Q4MX"), "{}");
    bool created = false;
    store.append(step("K7Q4MX", 1), [&](bool) {
        store.flush();  // must not wait for itself
        store.create_room(room("INSIDE"), "{}");
        created = true;
    });
    store.flush();
    EXPECT_TRUE(created);
    EXPECT_TRUE(store.room_exists("INSIDE"));
}

// The writer runs work queued from its own thread at once: a process created, and a room
// deleted and its deletion waited for, from inside a done callback.
TEST_P(StoreOn, CreateProcessAndPruneWorkFromInsideDoneCallback) {
    auto store_opened = db.open();
    Store& store = *store_opened;
    store.create_room(room("K7Q4MX"), "{}");
    bool done = false;
    store.append(step("K7Q4MX", 1), [&](bool) {
        store.create_process({"PROC01", "Kehitys", "[]", keha::server::sha256_hex("pkey"), 1'700'000'000'000});
        store.prune_access_log(1'700'000'000'000, 30);
        done = true;
    });
    store.flush();
    EXPECT_TRUE(done);
    EXPECT_TRUE(store.find_process("PROC01"));
}

TEST_P(StoreOn, OpsBetweenReturnsTheHalfOpenRange) {
    auto store_opened = db.open();
    Store& store = *store_opened;
    store.create_room(room("K7Q4MX"), "{}");
    store.create_room(room("OTHER2"), "{}");
    for (std::uint64_t seq = 1; seq <= 20; ++seq) {
        store.append(step("K7Q4MX", seq), nullptr);
        store.append(step("OTHER2", seq), nullptr);
    }
    store.flush();
    expect_seqs(store.ops_between("K7Q4MX", 5, 9), 6, 9);
    expect_seqs(store.ops_between("K7Q4MX", 0, 20), 1, 20);
    expect_seqs(store.ops_between("K7Q4MX", 18, UINT64_MAX), 19, 20);
    EXPECT_TRUE(store.ops_between("K7Q4MX", 9, 9).empty());
    EXPECT_TRUE(store.ops_between("K7Q4MX", 10, 3).empty());
    EXPECT_TRUE(store.ops_between("K7Q4MX", 20, 40).empty());
}

// ---- snapshots and tokens ---------------------------------------------------------------

TEST_P(StoreOn, LoadRoomReturnsLatestSnapshotAndOnlyOpsAfterIt) {
    auto store_opened = db.open();
    Store& store = *store_opened;
    store.create_room(room("K7Q4MX"), R"({"s":0})");
    for (std::uint64_t seq = 1; seq <= 25; ++seq) {
        Append a = step("K7Q4MX", seq);
        if (seq % 10 == 0) a.snapshot = R"({"s":)" + std::to_string(seq) + "}";
        store.append(std::move(a), nullptr);
    }
    store.flush();
    auto loaded = store.load_room("K7Q4MX");
    ASSERT_TRUE(loaded);
    EXPECT_EQ(loaded->snapshot_seq, 20u);
    EXPECT_EQ(loaded->snapshot, R"({"s":20})");
    expect_seqs(loaded->ops, 21, 25);
}

// Through the interface, as the server uses it: the room's limits count every stored patch,
// also those before the snapshot, per author.
TEST_P(StoreOn, LoadRoomCountsTheBytesOfEveryStoredPatchByAuthor) {
    std::unique_ptr<Store> store = keha::server::open_store(db.location());
    store->create_room(room("K7Q4MX"), R"({"s":0})");
    std::uint64_t p1 = 0, server = 0;
    for (std::uint64_t seq = 1; seq <= 12; ++seq) {
        Append a = step("K7Q4MX", seq);
        if (seq % 3 == 0) a.op.by = "server";
        (seq % 3 == 0 ? server : p1) += a.op.patch.size();
        if (seq == 10) a.snapshot = R"({"s":10})";
        store->append(std::move(a), nullptr);
    }
    store->flush();
    auto loaded = store->load_room("K7Q4MX");
    ASSERT_TRUE(loaded);
    EXPECT_EQ(loaded->snapshot_seq, 10u);
    EXPECT_EQ(loaded->op_bytes, (std::map<std::string, std::uint64_t>{{"p1", p1}, {"server", server}}));
}

// keha-server check and the history read what the store keeps: seq 0, every 1000th, the newest.
TEST_P(StoreOn, SnapshotsAreTheKeptOnesOldestFirstAndStateAtFoldsTheOpsAfterOne) {
    std::unique_ptr<Store> store = keha::server::open_store(":memory:");
    store->create_room(room("K7Q4MX"), R"({"phase":"opening","n":{}})");
    for (std::uint64_t seq = 1; seq <= 1005; ++seq) {
        Append a = step("K7Q4MX", seq);
        if (seq == 1000 || seq == 1003) {
            keha::json state = {{"phase", "opening"}, {"n", keha::json::object()}};
            for (std::uint64_t i = 1; i <= seq; ++i) state["n"][std::to_string(i)] = "v" + std::to_string(i);
            a.snapshot = state.dump();
        }
        store->append(std::move(a), nullptr);
    }
    store->flush();
    std::vector<std::uint64_t> seqs;
    for (const auto& snapshot : store->snapshots("K7Q4MX")) seqs.push_back(snapshot.seq);
    EXPECT_EQ(seqs, (std::vector<std::uint64_t>{0, 1000, 1003}));
    EXPECT_TRUE(store->snapshots("NOSUCH").empty());

    for (std::uint64_t at : {0u, 1u, 999u, 1001u, 1005u, 5000u}) {
        auto history = store->state_at("K7Q4MX", at);
        ASSERT_TRUE(history);
        const auto seq = std::min<std::uint64_t>(at, 1005);
        EXPECT_EQ(history->seq, seq);
        EXPECT_EQ(history->last_seq, 1005u);
        EXPECT_EQ(history->initial_phase, "opening");
        auto state = keha::json::parse(history->state);
        EXPECT_EQ(state["n"].size(), seq) << "at " << at;
        if (seq > 0) {
            EXPECT_EQ(state["n"][std::to_string(seq)], "v" + std::to_string(seq));
        }
    }
    EXPECT_FALSE(store->state_at("NOSUCH", 3));
}

TEST_P(StoreOn, NewSnapshotPrunesOlderOnesButKeepsSeqZeroAndEveryOp) {
    {
        auto store_opened = db.open();
        Store& store = *store_opened;
        store.create_room(room("K7Q4MX"), R"({"s":0})");
        store.create_room(room("OTHER2"), R"({"o":0})");
        for (std::uint64_t seq = 1; seq <= 40; ++seq) {
            Append a = step("K7Q4MX", seq);
            if (seq % 10 == 0) a.snapshot = "{}";
            store.append(std::move(a), nullptr);
            Append b = step("OTHER2", seq);
            if (seq == 5) b.snapshot = "{}";
            store.append(std::move(b), nullptr);
        }
    }
    EXPECT_EQ(db.column("SELECT seq FROM snapshots WHERE room='K7Q4MX' ORDER BY seq"),
              (std::vector<std::string>{"0", "40"}));
    EXPECT_EQ(db.column("SELECT seq FROM snapshots WHERE room='OTHER2' ORDER BY seq"),
              (std::vector<std::string>{"0", "5"}));
    EXPECT_EQ(db.scalar("SELECT count(*) FROM ops WHERE room='K7Q4MX'"), "40");
}

TEST_P(StoreOn, TokenHashesAreLoadedAndReplacedPerParticipant) {
    auto store_opened = db.open();
    Store& store = *store_opened;
    store.create_room(room("K7Q4MX"), "{}");
    Append a = step("K7Q4MX", 1);
    a.token = {"p1", keha::server::sha256_hex("first")};
    Append b = step("K7Q4MX", 2);
    b.token = {"p2", keha::server::sha256_hex("second")};
    Append c = step("K7Q4MX", 3);
    c.token = {"p1", keha::server::sha256_hex("again")};
    store.append(a, nullptr);
    store.append(b, nullptr);
    store.append(c, nullptr);
    store.flush();
    auto loaded = store.load_room("K7Q4MX");
    ASSERT_TRUE(loaded);
    EXPECT_EQ(loaded->token_hashes,
              (std::map<std::string, std::string>{{"p1", keha::server::sha256_hex("again")},
                                                  {"p2", keha::server::sha256_hex("second")}}));
}

TEST_P(StoreOn, ReopenKeepsRoomsOpsSnapshotsAndTokens) {
    {
        auto store_opened = db.open();
        Store& store = *store_opened;
        store.create_room(room("K7Q4MX"), R"({"s":0})");
        for (std::uint64_t seq = 1; seq <= 30; ++seq) {
            Append a = step("K7Q4MX", seq);
            if (seq == 20) a.snapshot = R"({"s":20})";
            if (seq == 3) a.token = {"p3", keha::server::sha256_hex("tok")};
            store.append(std::move(a), nullptr);
        }
    }
    auto store_opened = db.open();
    Store& store = *store_opened;
    auto found = store.find_room("K7Q4MX");
    ASSERT_TRUE(found);
    EXPECT_EQ(found->facilitator_key_hash, room("K7Q4MX").facilitator_key_hash);
    auto loaded = store.load_room("K7Q4MX");
    ASSERT_TRUE(loaded);
    EXPECT_EQ(loaded->snapshot_seq, 20u);
    EXPECT_EQ(loaded->snapshot, R"({"s":20})");
    expect_seqs(loaded->ops, 21, 30);
    EXPECT_EQ(loaded->token_hashes.at("p3"), keha::server::sha256_hex("tok"));
    expect_seqs(store.ops_between("K7Q4MX", 0, 30), 1, 30);
    // And it goes on from where it was.
    EXPECT_TRUE(append_sync(store, step("K7Q4MX", 31)));
}

TEST_P(StoreOn, ReadsDuringWritesSeeAConsistentRoom) {
    auto store_opened = db.open();
    Store& store = *store_opened;
    store.create_room(room("K7Q4MX"), R"({"s":0})");
    std::atomic<bool> writing{true};
    std::thread writer([&] {
        for (std::uint64_t seq = 1; seq <= 2000; ++seq) {
            Append a = step("K7Q4MX", seq);
            if (seq % 50 == 0) a.snapshot = R"({"s":)" + std::to_string(seq) + "}";
            store.append(std::move(a), nullptr);
        }
        store.flush();
        writing = false;
    });
    int loads = 0;
    while (writing || loads == 0) {
        auto loaded = store.load_room("K7Q4MX");
        ASSERT_TRUE(loaded);
        ++loads;
        EXPECT_EQ(loaded->snapshot, R"({"s":)" + std::to_string(loaded->snapshot_seq) + "}");
        for (std::size_t i = 0; i < loaded->ops.size(); ++i)
            ASSERT_EQ(loaded->ops[i].seq, loaded->snapshot_seq + 1 + i);
        ASSERT_LT(loaded->ops.size(), 50u);  // a snapshot is at most 49 ops behind
    }
    writer.join();
    EXPECT_GT(loads, 0);
}

// ---- the file and its schema ------------------------------------------------------------

TEST(Store, NewDatabaseIsInWalModeAtCurrentSchemaVersion) {
    Temp_dir dir;
    { Sqlite_store store(dir.file("keha.db")); }
    Raw raw(dir.file("keha.db"));
    EXPECT_EQ(raw.scalar("PRAGMA journal_mode"), "wal");
    EXPECT_EQ(raw.scalar("PRAGMA user_version"), std::to_string(Sqlite_store::schema_version));
    auto tables = raw.column("SELECT name FROM sqlite_schema WHERE type='table' ORDER BY name");
    EXPECT_EQ(tables, (std::vector<std::string>{"access_log", "ops", "poll_values", "processes", "rating_comments",
                                                "rating_scores", "rooms", "snapshots", "tokens"}));
}

TEST(Store, MigratesVersionOneDatabaseLosslessly) {
    Temp_dir dir;
    const auto path = dir.file("old.db");
    {
        // As the version-1 program left it: rollback journal, initial state in rooms.
        Raw old(path);
        old.exec(R"sql(
            CREATE TABLE rooms (code TEXT PRIMARY KEY, facilitator_key_hash TEXT NOT NULL,
                                screen_key_hash TEXT NOT NULL, created_at_ms INTEGER NOT NULL,
                                initial_state TEXT NOT NULL);
            CREATE TABLE ops (room TEXT NOT NULL REFERENCES rooms(code), seq INTEGER NOT NULL,
                              by_pid TEXT NOT NULL, cmd TEXT NOT NULL, patch TEXT NOT NULL,
                              at_ms INTEGER NOT NULL, PRIMARY KEY (room, seq)) WITHOUT ROWID;
            CREATE TABLE tokens (room TEXT NOT NULL REFERENCES rooms(code), pid TEXT NOT NULL,
                                 token_hash TEXT NOT NULL, PRIMARY KEY (room, pid));
            INSERT INTO rooms VALUES ('K7Q4MX', 'fh1', 'sh1', 1000, '{"room":{"code":"K7Q4MX"}}');
            INSERT INTO rooms VALUES ('B2C3D4', 'fh2', 'sh2', 2000, '{"room":{"code":"B2C3D4"}}');
            INSERT INTO ops VALUES ('K7Q4MX', 1, 'server', 'participant.join', '[{"op":"add","path":"/participants/p1","value":{}}]', 1001);
            INSERT INTO ops VALUES ('K7Q4MX', 2, 'p1', 'item.add', '[{"op":"add","path":"/x","value":"Ä ö å"}]', 1002);
            INSERT INTO tokens VALUES ('K7Q4MX', 'p1', 'th1');
            PRAGMA user_version = 1;
        )sql");
        ASSERT_EQ(old.scalar("PRAGMA journal_mode"), "delete");
    }

    {
        Sqlite_store store(path);
        auto a = store.load_room("K7Q4MX");
        ASSERT_TRUE(a);
        EXPECT_EQ(a->room.facilitator_key_hash, "fh1");
        EXPECT_EQ(a->room.screen_key_hash, "sh1");
        EXPECT_EQ(a->room.created_at_ms, 1000);
        EXPECT_EQ(a->snapshot_seq, 0u);
        EXPECT_EQ(a->snapshot, R"({"room":{"code":"K7Q4MX"}})");
        ASSERT_EQ(a->ops.size(), 2u);
        EXPECT_EQ(a->ops[0].by, "server");
        EXPECT_EQ(a->ops[0].cmd, "participant.join");
        EXPECT_EQ(a->ops[1].patch, R"([{"op":"add","path":"/x","value":"Ä ö å"}])");
        EXPECT_EQ(a->ops[1].at_ms, 1002);
        EXPECT_EQ(a->token_hashes, (std::map<std::string, std::string>{{"p1", "th1"}}));

        auto b = store.load_room("B2C3D4");
        ASSERT_TRUE(b);
        EXPECT_EQ(b->snapshot, R"({"room":{"code":"B2C3D4"}})");
        EXPECT_TRUE(b->ops.empty());

        // The migrated room takes new appends and snapshots.
        Append next = step("K7Q4MX", 3);
        next.snapshot = R"({"s":3})";
        EXPECT_TRUE(append_sync(store, next));
        EXPECT_EQ(store.load_room("K7Q4MX")->snapshot_seq, 3u);
    }

    Raw raw(path);
    EXPECT_EQ(raw.scalar("PRAGMA user_version"), std::to_string(Sqlite_store::schema_version));
    EXPECT_EQ(raw.scalar("PRAGMA journal_mode"), "wal");
    EXPECT_EQ(raw.scalar("SELECT count(*) FROM pragma_table_info('rooms') WHERE name='initial_state'"),
              "0");
    EXPECT_EQ(raw.column("SELECT seq FROM snapshots WHERE room='K7Q4MX' ORDER BY seq"),
              (std::vector<std::string>{"0", "3"}));
    EXPECT_EQ(raw.scalar("PRAGMA foreign_key_check"), "");
    EXPECT_EQ(raw.scalar("PRAGMA integrity_check"), "ok");
}

// Schema 5: the op log is kept in the order it was written (a commit's ops together at the
// table's end) with (room, seq) a unique index beside it; ops written before are copied room
// by room, none lost (docs/performance.md, "Page writes per commit").
TEST(Store, MigratesTheOpLogToWriteOrderKeepingEveryOp) {
    Temp_dir dir;
    const auto path = dir.file("old.db");
    {
        Raw old(path);  // the layout before: keyed by (room, seq), two rooms' ops written in turns
        old.exec(R"sql(
            CREATE TABLE rooms (code TEXT PRIMARY KEY, facilitator_key_hash TEXT NOT NULL,
                                screen_key_hash TEXT NOT NULL, created_at_ms INTEGER NOT NULL,
                                initial_state TEXT NOT NULL);
            CREATE TABLE ops (room TEXT NOT NULL REFERENCES rooms(code), seq INTEGER NOT NULL,
                              by_pid TEXT NOT NULL, cmd TEXT NOT NULL, patch TEXT NOT NULL,
                              at_ms INTEGER NOT NULL, PRIMARY KEY (room, seq)) WITHOUT ROWID;
            CREATE TABLE tokens (room TEXT NOT NULL REFERENCES rooms(code), pid TEXT NOT NULL,
                                 token_hash TEXT NOT NULL, PRIMARY KEY (room, pid));
            INSERT INTO rooms VALUES ('K7Q4MX', 'fh1', 'sh1', 1000, '{}');
            INSERT INTO rooms VALUES ('B2C3D4', 'fh2', 'sh2', 2000, '{}');
            INSERT INTO ops VALUES ('K7Q4MX', 1, 'p1', 'item.add', '[1]', 1001);
            INSERT INTO ops VALUES ('B2C3D4', 1, 'p2', 'item.add', '[2]', 1002);
            INSERT INTO ops VALUES ('K7Q4MX', 2, 'p1', 'item.edit', '[3]', 1003);
            INSERT INTO ops VALUES ('B2C3D4', 2, 'p2', 'item.edit', '[4]', 1004);
            PRAGMA user_version = 1;
        )sql");
    }
    {
        Sqlite_store store(path);
        ASSERT_EQ(store.ops_between("K7Q4MX", 0, 10).size(), 2u);
        EXPECT_EQ(store.ops_between("K7Q4MX", 0, 10)[1].patch, "[3]");
        EXPECT_EQ(store.ops_between("B2C3D4", 1, 10).at(0).cmd, "item.edit");
        // New ops of both rooms, written in turns.
        EXPECT_TRUE(append_sync(store, step("B2C3D4", 3)));
        EXPECT_TRUE(append_sync(store, step("K7Q4MX", 3)));
        EXPECT_TRUE(append_sync(store, step("B2C3D4", 4)));
        EXPECT_FALSE(append_sync(store, step("K7Q4MX", 3))) << "(room, seq) is still unique";
    }
    Raw raw(path);
    EXPECT_EQ(raw.scalar("PRAGMA user_version"), std::to_string(Sqlite_store::schema_version));
    // The old ops room by room, then the new ones in the order they were written.
    EXPECT_EQ(raw.column("SELECT room || '/' || seq FROM ops ORDER BY id"),
              (std::vector<std::string>{"B2C3D4/1", "B2C3D4/2", "K7Q4MX/1", "K7Q4MX/2", "B2C3D4/3", "K7Q4MX/3",
                                        "B2C3D4/4"}));
    EXPECT_EQ(raw.scalar("SELECT \"unique\" FROM pragma_index_list('ops') WHERE name = 'ops_by_room'"), "1");
    EXPECT_EQ(raw.scalar("SELECT count(*) FROM sqlite_schema WHERE name = 'ops_in_order'"), "0");
    EXPECT_EQ(raw.scalar("PRAGMA foreign_key_check"), "");
    EXPECT_EQ(raw.scalar("PRAGMA integrity_check"), "ok");
}

TEST(Store, RefusesDatabaseWrittenByNewerVersionWithUpgradeAdvice) {
    Temp_dir dir;
    const auto path = dir.file("future.db");
    {
        Raw future(path);
        future.exec("CREATE TABLE rooms (code TEXT PRIMARY KEY); PRAGMA user_version = " +
                    std::to_string(Sqlite_store::schema_version + 1) + ";");
    }
    try {
        Sqlite_store store(path);
        FAIL() << "expected Store_error";
    } catch (const Store_error& e) {
        std::string msg = e.what();
        EXPECT_NE(msg.find("newer Kehä"), std::string::npos) << msg;
        EXPECT_NE(msg.find("upgrade keha-server"), std::string::npos) << msg;
        EXPECT_NE(msg.find(path), std::string::npos) << msg;
    }
    // Left as it was: still the newer version, still in its own journal mode.
    Raw raw(path);
    EXPECT_EQ(raw.scalar("PRAGMA user_version"), std::to_string(Sqlite_store::schema_version + 1));
    EXPECT_EQ(raw.scalar("PRAGMA journal_mode"), "delete");
}

TEST(Store, RefusesFileThatIsNotADatabase) {
    Temp_dir dir;
    const auto path = dir.file("notes.txt");
    std::string text;
    for (int i = 0; i < 200; ++i) text += "This is a meeting note, not a database.\n";
    std::ofstream(path) << text;
    try {
        Sqlite_store store(path);
        FAIL() << "expected Store_error";
    } catch (const Store_error& e) {
        std::string msg = e.what();
        EXPECT_NE(msg.find("not a Kehä database"), std::string::npos) << msg;
        EXPECT_NE(msg.find(path), std::string::npos) << msg;
    }
    std::ifstream in(path);
    std::string after((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(after, text);
    EXPECT_FALSE(fs::exists(path + "-wal"));
}

TEST(Store, RefusesSqliteDatabaseOfAnotherProgram) {
    Temp_dir dir;
    const auto path = dir.file("other.db");
    {
        Raw other(path);
        other.exec("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL);");
    }
    try {
        Sqlite_store store(path);
        FAIL() << "expected Store_error";
    } catch (const Store_error& e) {
        EXPECT_NE(std::string(e.what()).find("another program"), std::string::npos) << e.what();
    }
    Raw raw(path);
    EXPECT_EQ(raw.scalar("SELECT count(*) FROM sqlite_schema"), "1");
}

TEST(Store, RefusesPathInMissingDirectory) {
    Temp_dir dir;
    try {
        Sqlite_store store(dir.file("no/such/dir/keha.db"));
        FAIL() << "expected Store_error";
    } catch (const Store_error& e) {
        EXPECT_NE(std::string(e.what()).find("cannot open"), std::string::npos) << e.what();
    }
}

TEST(Store, Sha256HexMatchesKnownDigests) {
    EXPECT_EQ(keha::server::sha256_hex(""),
              "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    EXPECT_EQ(keha::server::sha256_hex("abc"),
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

// ---- snapshot + log = live state --------------------------------------------------------

TEST_P(StoreOn, SnapshotPlusLogRebuildsTheLiveState) {
    std::ifstream in(KEHA_TEST_TEMPLATE);
    ASSERT_TRUE(in) << KEHA_TEST_TEMPLATE;
    const keha::json room_template = keha::json::parse(in);
    keha::Room_meta meta;
    meta.code = "K7Q4MX";
    meta.title = "Kehittämispäivä";
    meta.template_id = "default";
    meta.created_at = "2026-11-23T09:00:00Z";
    keha::json live = keha::make_state(meta, room_template);
    const keha::json initial = live;
    auto store_opened = db.open();
    Store& store = *store_opened;
    store.create_room(room("K7Q4MX"), initial.dump());

    std::mt19937 rng(1234);
    constexpr std::uint64_t snapshot_every = 16;
    std::uint64_t seq = 0;
    std::vector<std::string> items;
    auto run = [&](std::string_view pid, keha::Role role, std::string cmd, keha::json args) {
        keha::Context ctx{seq + 1, 1'700'000'000'000 + static_cast<std::int64_t>(seq) * 1000};
        auto result = keha::apply(live, keha::Actor{pid, role}, keha::Command{cmd, args}, ctx);
        if (!std::holds_alternative<keha::json>(result)) return;  // rejected: no seq
        ++seq;
        Append a;
        a.code = "K7Q4MX";
        a.op = {seq, std::string(pid), cmd, std::get<keha::json>(result).dump(), ctx.now_ms};
        if (seq % snapshot_every == 0) a.snapshot = live.dump();
        store.append(std::move(a), [](bool ok) { EXPECT_TRUE(ok); });
        if (cmd == "item.add") items.push_back("i" + std::to_string(seq));
    };

    using keha::Role;
    run("server", Role::server, "participant.join",
        {{"name", "Fasilitaattori"}, {"group", "other"}, {"role", "facilitator"}});
    run("server", Role::server, "participant.join",
        {{"name", "Maija"}, {"group", "professional"}, {"role", "participant"}});
    ASSERT_EQ(seq, 2u);
    while (seq < 203) {
        const std::string pid = rng() % 2 ? "p1" : "p2";
        const Role role = pid == "p1" ? Role::facilitator : Role::participant;
        switch (items.empty() ? 0 : rng() % 5) {
        case 0:
            run(pid, role, "item.add",
                {{"board", "timeline"}, {"column", "event"},
                 {"text", "Tapahtuma " + std::to_string(seq) + " – yhteistyö alkoi"},
                 {"when", "2021-0" + std::to_string(1 + rng() % 9)}});
            break;
        case 1:
            run(pid, role, "item.vote", {{"board", "timeline"}, {"id", items[rng() % items.size()]}});
            break;
        case 2:
            run("p1", Role::facilitator, "item.edit",
                {{"board", "timeline"}, {"id", items[rng() % items.size()]},
                 {"text", "Muokattu " + std::to_string(rng() % 1000)}});
            break;
        case 3:
            run("p1", Role::facilitator, "item.move",
                {{"board", "timeline"}, {"id", items[rng() % items.size()]},
                 {"order", static_cast<double>(rng() % 100) / 4}});
            break;
        case 4:
            run(pid, role, rng() % 2 ? "hand.raise" : "hand.lower", keha::json::object());
            break;
        }
    }
    store.flush();

    auto loaded = store.load_room("K7Q4MX");
    ASSERT_TRUE(loaded);
    EXPECT_EQ(loaded->snapshot_seq, 192u);
    EXPECT_EQ(loaded->ops.size(), 11u);
    keha::json rebuilt = keha::json::parse(loaded->snapshot);
    for (const auto& op : loaded->ops) rebuilt = rebuilt.patch(keha::json::parse(op.patch));
    EXPECT_EQ(rebuilt, live);

    // The whole log from the seq-0 snapshot gives the same document.
    keha::json replayed = initial;
    for (const auto& op : store.ops_between("K7Q4MX", 0, seq))
        replayed = replayed.patch(keha::json::parse(op.patch));
    EXPECT_EQ(replayed, live);
}

// ---- crash safety -----------------------------------------------------------------------

namespace {

// The child: appends forever, writing a seq to the pipe only once its commit is reported.
[[noreturn]] void crash_child(const keha::store_test::Test_db& db, int ack_fd) {
    try {
        auto opened = db.open();
        Store& store = *opened;
        std::mutex m;
        std::condition_variable cv;
        int in_flight = 0;
        for (std::uint64_t seq = 1;; ++seq) {
            {
                std::unique_lock lk(m);
                cv.wait(lk, [&] { return in_flight < 256; });
                ++in_flight;
            }
            Append a;
            a.code = "CRASH2";
            // Long enough that a batch spans several pages.
            a.op = {seq, "p1", "item.add",
                    patch_for(seq) + std::string(200 + seq % 300, ' '), static_cast<std::int64_t>(seq)};
            if (seq % 25 == 0) a.snapshot = R"({"s":)" + std::to_string(seq) + "}";
            if (seq % 40 == 0) a.token = {"p" + std::to_string(seq), keha::server::sha256_hex("t")};
            store.append(std::move(a), [&, seq](bool ok) {
                if (!ok) _exit(3);
                std::uint64_t v = seq;
                if (write(ack_fd, &v, sizeof v) != sizeof v) _exit(4);
                std::lock_guard lk(m);
                --in_flight;
                cv.notify_one();
            });
        }
    } catch (...) {
        _exit(5);
    }
}

bool read_ack(int fd, std::uint64_t& seq) {
    auto* p = reinterpret_cast<char*>(&seq);
    std::size_t got = 0;
    while (got < sizeof seq) {
        ssize_t n = read(fd, p + got, sizeof seq - got);
        if (n == 0) return false;
        if (n < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        got += static_cast<std::size_t>(n);
    }
    return true;
}

}  // namespace

TEST_P(StoreOn, AckedAppendsSurviveKillNine) {
    std::random_device rd;
    for (int round = 0; round < 3; ++round) {
        const unsigned seed = rd();
        SCOPED_TRACE("round " + std::to_string(round) + " seed " + std::to_string(seed));
        std::mt19937 rng(seed);
        const int kill_after = 50 + static_cast<int>(rng() % 451);
        const keha::store_test::Test_db round_db(GetParam());  // a database of its own each round
        {
            auto store_opened = round_db.open();
            Store& store = *store_opened;
            store.create_room(room("CRASH2"), R"({"s":0})");
        }

        int fds[2];
        ASSERT_EQ(pipe(fds), 0);
        pid_t child = fork();
        ASSERT_GE(child, 0);
        if (child == 0) {
            close(fds[0]);
            crash_child(round_db, fds[1]);
        }
        close(fds[1]);

        std::uint64_t max_acked = 0;
        int acks = 0;
        std::uint64_t seq = 0;
        while (acks < kill_after && read_ack(fds[0], seq)) {
            ++acks;
            EXPECT_EQ(seq, max_acked + 1);  // acks come in order
            max_acked = std::max(max_acked, seq);
        }
        ASSERT_EQ(acks, kill_after) << "the child stopped before it was killed";
        // A short random pause, so the kill lands anywhere in a batch.
        std::this_thread::sleep_for(std::chrono::microseconds(rng() % 2000));
        kill(child, SIGKILL);
        int status = 0;
        waitpid(child, &status, 0);
        ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << "status " << status;
        // Acks the child wrote before it died count too.
        while (read_ack(fds[0], seq)) max_acked = std::max(max_acked, seq);
        close(fds[0]);

        auto store_opened = round_db.open();
        Store& store = *store_opened;
        auto ops = store.ops_between("CRASH2", 0, UINT64_MAX);
        ASSERT_GE(ops.size(), max_acked) << "acked " << max_acked;
        for (std::size_t i = 0; i < ops.size(); ++i) {
            ASSERT_EQ(ops[i].seq, i + 1) << "gap in the log";
            ASSERT_EQ(ops[i].patch, patch_for(i + 1) + std::string(200 + (i + 1) % 300, ' '));
        }
        auto loaded = store.load_room("CRASH2");
        ASSERT_TRUE(loaded);
        EXPECT_EQ(loaded->snapshot_seq, ops.size() / 25 * 25);
        EXPECT_EQ(loaded->snapshot_seq + loaded->ops.size(), ops.size());
        if (GetParam() == keha::store_test::Backend::sqlite) {
            EXPECT_EQ(round_db.scalar("PRAGMA integrity_check"), "ok");
        }
    }
}
