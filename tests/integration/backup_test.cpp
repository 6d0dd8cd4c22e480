// keha-server backup and keha-server check, as an administrator runs them: the real program
// against a real server's SQLite file while members keep writing to it, a copy restored and
// served by a new server, and copies damaged the ways disks and people damage them. Also the
// modes of the files that hold the meetings.
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <atomic>
#include <climits>
#include <condition_variable>
#include <fstream>
#include <map>
#include <mutex>
#include <thread>

#include "support/meeting.hpp"
#include "support/program.hpp"
#include "support/server_process.hpp"
#include "support/stored_log.hpp"

using namespace keha::itest;

namespace {

Program_run keha_server(std::vector<std::string> args)
{
    args.insert(args.begin(), KEHA_SERVER_BIN);
    return run_program(args);
}

unsigned mode_of(const std::filesystem::path& file)
{
    struct stat st {};
    if (::stat(file.c_str(), &st) != 0) return 0;
    return st.st_mode & 07777;
}

void write_file(const std::filesystem::path& file, const std::string& text)
{
    std::ofstream out(file);
    out << text;
}

// One room with a facilitator and two participants who each keep adding and voting.
struct Busy_room {
    Room_keys keys;
    std::vector<std::unique_ptr<Member>> members;

    explicit Busy_room(std::uint16_t port) : keys(create_room(port))
    {
        members.push_back(std::make_unique<Member>(port, keys.code, with_key(keys.facilitator_key)));
        members.push_back(std::make_unique<Member>(port, keys.code, as_participant("Aino")));
        members.push_back(std::make_unique<Member>(port, keys.code, as_participant("Ville", "expert")));
    }
};

// Each member in its own thread: an item, a vote on it, an edit, and so on, until `stop`
// and then `after` more rounds, so the load is under way both before and after whatever
// ran meanwhile.
class Load {
public:
    Load(std::vector<Busy_room>& rooms, int after) : after_(after)
    {
        for (auto& room : rooms)
            for (auto& member : room.members) threads_.emplace_back([this, m = member.get()] { run(*m); });
    }
    ~Load() { finish(); }

    // Waits until every member has had `n` acknowledged rounds.
    void wait_rounds(int n)
    {
        std::unique_lock lock(mutex_);
        cv_.wait(lock, [&] { return min_rounds() >= n || failed_; });
    }
    void finish()
    {
        stop_ = true;
        for (auto& t : threads_)
            if (t.joinable()) t.join();
    }
    std::string failure() const
    {
        std::lock_guard lock(mutex_);
        return failure_;
    }

private:
    int min_rounds() const
    {
        int least = INT_MAX;
        for (const auto& [m, n] : rounds_) least = std::min(least, n);
        return rounds_.size() == threads_.size() ? least : 0;
    }
    void run(Member& m)
    {
        try {
            int extra = 0;
            for (int i = 0; !stop_ || extra++ < after_; ++i) {
                const auto seq = m.ok("item.add", {{"board", "timeline"}, {"column", "event"},
                                                   {"text", m.you + " event " + std::to_string(i)}});
                const std::string id = "i" + std::to_string(seq);
                m.ok("item.vote", {{"board", "timeline"}, {"id", id}});
                m.ok("item.edit", {{"board", "timeline"}, {"id", id}, {"text", m.you + " edited " + std::to_string(i)}});
                std::lock_guard lock(mutex_);
                ++rounds_[&m];
                cv_.notify_all();
            }
        } catch (const std::exception& e) {
            std::lock_guard lock(mutex_);
            failed_ = true;
            failure_ = e.what();
            cv_.notify_all();
        }
    }

    int after_;
    std::atomic<bool> stop_{false};
    mutable std::mutex mutex_;
    std::condition_variable cv_;
    std::map<Member*, int> rounds_;
    bool failed_ = false;
    std::string failure_;
    std::vector<std::thread> threads_;
};

// Waits until the file says no participant of the room is online (their connections closed).
void wait_all_offline(const std::filesystem::path& db, const std::string& code)
{
    for (int attempt = 0; attempt < 500; ++attempt) {
        const auto stored = read_durable(db, code);
        bool online = false;
        for (const auto& [pid, p] : stored.state["participants"].items()) online = online || p.value("online", false);
        if (!online) return;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    FAIL() << "room " << code << " still has someone online after every connection closed";
}

}  // namespace

TEST(Backup, ACopyTakenUnderLoadIsWholeAndARestoredCopyServesEveryRoomAsTheOriginalDid)
{
    ::umask(022);
    Temp_dir dir;
    const auto live = dir.path() / "keha.db";
    // Snapshots every 20 ops, so a check replays from snapshot to snapshot as well as to the head.
    Server_process server(live, {"--snapshot-every", "20"});
    // The backup finds the store through the config file, as the packaged timer does.
    const auto config = dir.path() / "keha.conf";
    write_file(config, "db = " + live.string() + "\nsnapshot-every = 20\n");

    std::vector<Busy_room> rooms;
    for (int i = 0; i < 3; ++i) rooms.emplace_back(server.port());

    const auto during = dir.path() / "during.db";
    Program_run backup;
    {
        Load load(rooms, 5);
        load.wait_rounds(5);
        backup = keha_server({"backup", "--config", config.string(), during.string()});
        // The live store can be checked too, while it is written to.
        const auto live_check = keha_server({"check", "--db", live.string()});
        EXPECT_EQ(live_check.exit_code, 0) << live_check.out << live_check.err;
        load.finish();  // five more rounds each after the copy: it was taken under way
        ASSERT_EQ(load.failure(), "");
    }
    ASSERT_EQ(backup.exit_code, 0) << backup.err;
    EXPECT_NE(backup.out.find("3 rooms"), std::string::npos) << backup.out;
    EXPECT_NE(backup.out.find(" ops, "), std::string::npos) << backup.out;
    EXPECT_EQ(mode_of(during), 0600u);
    // One file: no WAL of its own beside it.
    EXPECT_FALSE(std::filesystem::exists(during.string() + "-wal"));

    const auto checked = keha_server({"check", "--config", config.string(), "--db", during.string()});
    EXPECT_EQ(checked.exit_code, 0) << checked.out << checked.err;
    EXPECT_NE(checked.out.find("3 rooms replayed"), std::string::npos) << checked.out;

    // Each room's log in the copy is the start of the live one, and the live one went on.
    for (const auto& room : rooms) {
        const auto copy = read_durable(during, room.keys.code);
        const auto now = read_durable(live, room.keys.code);
        EXPECT_GT(copy.last, 0u);
        EXPECT_LT(copy.last, now.last) << "the load went on after the copy";
        for (const auto& [seq, patch] : copy.patches) {
            ASSERT_TRUE(now.patches.count(seq)) << room.keys.code << " seq " << seq;
            EXPECT_EQ(patch, now.patches.at(seq)) << room.keys.code << " seq " << seq;
        }
        EXPECT_EQ(copy.patches.size(), copy.last) << "no gap in the copy's log";
    }

    // The load has stopped and everyone has left: a second copy, restored, serves the same rooms.
    for (auto& room : rooms) room.members.clear();
    for (const auto& room : rooms) wait_all_offline(live, room.keys.code);
    const auto after = dir.path() / "after.db";
    backup = keha_server({"backup", "--db", live.string(), after.string()});
    ASSERT_EQ(backup.exit_code, 0) << backup.err;
    std::map<std::string, json> original;
    for (const auto& room : rooms) {
        Member f(server.port(), room.keys.code, with_key(room.keys.facilitator_key));
        original[room.keys.code] = f.welcome;
    }

    Temp_dir elsewhere;
    const auto restored = elsewhere.path() / "keha.db";
    std::filesystem::copy_file(after, restored);
    Server_process again(restored, {"--snapshot-every", "20"});
    for (const auto& room : rooms) {
        Member f(again.port(), room.keys.code, with_key(room.keys.facilitator_key));
        const auto& before = original.at(room.keys.code);
        EXPECT_EQ(f.welcome["seq"], before["seq"]) << room.keys.code;
        EXPECT_EQ(f.welcome["state"], before["state"])
            << room.keys.code << ":\n" << json::diff(before["state"], f.welcome["state"]).dump(1);
        EXPECT_GT(f.welcome["state"]["boards"]["timeline"]["items"].size(), 10u);
    }
}

TEST(Backup, RefusesToOverwriteWithoutForceAndSaysWhatIsWrong)
{
    Temp_dir dir;
    const auto live = dir.path() / "keha.db";
    Server_process server(live);
    create_room(server.port());
    const auto copy = dir.path() / "copy.db";
    write_file(copy, "yesterday's copy");

    auto run = keha_server({"backup", "--db", live.string(), copy.string()});
    EXPECT_NE(run.exit_code, 0);
    EXPECT_NE(run.err.find("exists already; give --force"), std::string::npos) << run.err;
    std::ifstream in(copy);
    std::string kept((std::istreambuf_iterator<char>(in)), {});
    EXPECT_EQ(kept, "yesterday's copy");

    run = keha_server({"backup", "--force", "--db", live.string(), copy.string()});
    EXPECT_EQ(run.exit_code, 0) << run.err;
    EXPECT_NE(run.out.find("1 rooms"), std::string::npos) << run.out;
    EXPECT_EQ(keha_server({"check", copy.string()}).exit_code, 0);

    const auto nowhere = dir.path() / "nowhere.db";
    run = keha_server({"backup", "--db", nowhere.string(), (dir.path() / "x.db").string()});
    EXPECT_NE(run.exit_code, 0);
    EXPECT_NE(run.err.find(nowhere.string()), std::string::npos) << run.err;
    EXPECT_FALSE(std::filesystem::exists(nowhere)) << "a backup never creates the database it copies";
    EXPECT_FALSE(std::filesystem::exists(dir.path() / "x.db"));

    run = keha_server({"backup", "--db", live.string(), (dir.path() / "no-folder" / "x.db").string()});
    EXPECT_NE(run.exit_code, 0);
    EXPECT_NE(run.err.find("no-folder"), std::string::npos) << run.err;
    // No temporary file left behind by the failures.
    for (const auto& entry : std::filesystem::directory_iterator(dir.path()))
        EXPECT_NE(entry.path().filename().string().front(), '.') << entry.path();
}

namespace {

// A stopped server's store with two rooms of some history, copied by `keha-server backup`.
struct Copy_to_break {
    Temp_dir dir;
    std::filesystem::path copy = dir.path() / "copy.db";
    std::vector<std::string> codes;

    Copy_to_break()
    {
        const auto live = dir.path() / "keha.db";
        Server_process server(live, {"--snapshot-every", "20"});
        for (int r = 0; r < 2; ++r) {
            auto keys = create_room(server.port());
            Member f(server.port(), keys.code, with_key(keys.facilitator_key));
            for (int i = 0; i < 30; ++i)
                f.ok("item.add", {{"board", "timeline"}, {"column", "event"}, {"text", "event " + std::to_string(i)}});
            codes.push_back(keys.code);
        }
        const auto run = keha_server({"backup", "--db", live.string(), copy.string()});
        if (run.exit_code != 0) throw std::runtime_error("backup failed: " + run.err);
        const auto checked = keha_server({"check", copy.string()});
        EXPECT_EQ(checked.exit_code, 0) << "the copy is whole before it is broken: " << checked.out;
    }
};

}  // namespace

TEST(Check, FindsAnOpDeletedFromTheLog)
{
    Copy_to_break b;
    // Seq 10 lies between the room as created and the snapshot at 20: the server would load
    // the room without noticing; the history would not.
    db_rows(b.copy, "DELETE FROM ops WHERE room = '" + b.codes[1] + "' AND seq = 10", true);
    const auto run = keha_server({"check", b.copy.string()});
    EXPECT_EQ(run.exit_code, 1) << run.out;
    EXPECT_NE(run.out.find("problem: room " + b.codes[1] + ": op 10 is missing"), std::string::npos) << run.out;
    EXPECT_EQ(run.out.find("room " + b.codes[0]), std::string::npos) << "the other room is whole: " << run.out;
    EXPECT_NE(run.out.find("has "), std::string::npos) << run.out;
}

TEST(Check, FindsAnOpThatDoesNotReplay)
{
    Copy_to_break b;
    db_rows(b.copy,
            "UPDATE ops SET patch = '[{\"op\":\"remove\",\"path\":\"/no/such/thing\"}]' WHERE room = '" + b.codes[0] +
                "' AND seq = (SELECT max(seq) FROM ops WHERE room = '" + b.codes[0] + "')",
            true);
    const auto run = keha_server({"check", b.copy.string()});
    EXPECT_EQ(run.exit_code, 1) << run.out;
    EXPECT_NE(run.out.find("problem: room " + b.codes[0] + ": the op after seq"), std::string::npos) << run.out;
}

TEST(Check, FindsADamagedPage)
{
    Copy_to_break b;
    const auto page_size = std::stoul(db_rows(b.copy, "PRAGMA page_size").at(0).at(0));
    const auto root = std::stoul(db_rows(b.copy, "SELECT rootpage FROM sqlite_schema WHERE name = 'snapshots'").at(0).at(0));
    {
        // The b-tree page's type byte, as a failing disk or a stray write would leave it.
        std::fstream file(b.copy, std::ios::in | std::ios::out | std::ios::binary);
        file.seekp(static_cast<std::streamoff>((root - 1) * page_size));
        const char garbage[8] = {'\x55', '\x55', '\x55', '\x55', '\x55', '\x55', '\x55', '\x55'};
        file.write(garbage, sizeof garbage);
    }
    const auto run = keha_server({"check", b.copy.string()});
    EXPECT_NE(run.exit_code, 0) << run.out;
    EXPECT_NE(run.out.find("problem: "), std::string::npos) << run.out;
    EXPECT_NE(run.out.find("integrity"), std::string::npos) << run.out;
}

TEST(Check, SaysSoWhenThereIsNoDatabase)
{
    Temp_dir dir;
    const auto missing = dir.path() / "missing.db";
    const auto run = keha_server({"check", missing.string()});
    EXPECT_EQ(run.exit_code, 1);
    EXPECT_NE(run.out.find("no database at '" + missing.string() + "'"), std::string::npos) << run.out;
    EXPECT_FALSE(std::filesystem::exists(missing)) << "check never creates a database";
}

// Under an ordinary umask (022) the store and its -wal and -shm are the server user's alone.
TEST(Store, TheDatabaseAndItsWalAndShmAreMode0600)
{
    const auto before = ::umask(022);
    Temp_dir dir;
    const auto db = dir.path() / "fresh.db";
    {
        Server_process server(db);
        create_room(server.port());
        for (const char* suffix : {"", "-wal", "-shm"}) {
            const auto file = db.string() + suffix;
            ASSERT_TRUE(std::filesystem::exists(file)) << file;
            EXPECT_EQ(mode_of(file), 0600u) << file;
        }
        const auto copy = dir.path() / "copy.db";
        Program_env env;
        env.umask = 022;
        const auto run = run_program({KEHA_SERVER_BIN, "backup", "--db", db.string(), copy.string()}, env);
        ASSERT_EQ(run.exit_code, 0) << run.err;
        EXPECT_EQ(mode_of(copy), 0600u);
    }
    ::umask(before);
}
