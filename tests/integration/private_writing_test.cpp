// Private writing and spotlight over real sockets (docs/protocol.md §8.3, "Private writing",
// §8.4, "Spotlight"): who may send them, what each member receives — the words of a private note
// reach only its author and the facilitators until the one reveal, which brings them to
// everyone in one patch — and rooms stored before these keys existed.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <csignal>

#include "support/meeting.hpp"

using namespace keha::itest;

namespace {

const char* const words = "PRIVATE-NOTE-4e1d";

struct Writing_room {
    std::uint16_t port;
    Room_keys keys;
    std::unique_ptr<Member> f, anna, ben, screen;

    explicit Writing_room(std::uint16_t p, const json& body = {{"title", "Yksin"}, {"language", "fi"}})
        : port(p), keys(create_room(p, body))
    {
        f = std::make_unique<Member>(port, keys.code, with_key(keys.facilitator_key));
        anna = std::make_unique<Member>(port, keys.code, as_participant("Anna"));
        ben = std::make_unique<Member>(port, keys.code, as_participant("Ben", "leader"));
        screen = std::make_unique<Member>(port, keys.code, with_key(keys.screen_key));
        sync(screen->seq);
    }
    std::vector<Member*> all() { return {f.get(), anna.get(), ben.get(), screen.get()}; }
    void sync(std::uint64_t seq)
    {
        for (auto* m : all()) m->catch_up(seq);
    }
    // How many held notes each person has on the board, in a member's state (no words needed).
    static std::map<std::string, int> counts(const Member& m, const std::string& board)
    {
        std::map<std::string, int> out;
        for (const auto& [id, it] : m.state["boards"][board]["items"].items())
            if (it.value("hidden", false)) ++out[it["author"].get<std::string>()];
        return out;
    }
};

std::vector<std::pair<std::string, std::string>> bearer(const std::string& key) { return {{"Authorization", "Bearer " + key}}; }

bool mentions(const json& message, const std::string& text) { return message.dump().find(text) != std::string::npos; }

}  // namespace

TEST(PrivateWriting, NotesStayWithTheirAuthorsUntilOneRevealBringsThemAllInOnePatch)
{
    Writing_room room(shared_server().port());
    auto seq = room.f->ok("board.private", {{"board", "timeline"}, {"private", true}});
    room.sync(seq);
    for (auto* m : room.all()) EXPECT_EQ(m->state["boards"]["timeline"]["private"], true) << m->role;
    const auto first = room.anna->ok("item.add", {{"board", "timeline"}, {"column", "event"},
                                                  {"text", std::string(words) + "-a"}, {"hidden", false}});
    room.anna->ok("item.add", {{"board", "timeline"}, {"column", "event"}, {"text", std::string(words) + "-b"}, {"when", "2021"}});
    seq = room.ben->ok("item.add", {{"board", "timeline"}, {"column", "event"}, {"text", std::string(words) + "-c"}});
    room.sync(seq);
    // Ben and the wall see how many notes Anna wrote, never what; Anna and the facilitator read hers.
    for (auto* m : {room.ben.get(), room.screen.get()}) {
        for (const auto& p : m->patches) {
            if (p["seq"].get<std::uint64_t>() >= first && p["by"] == room.anna->you) {
                EXPECT_FALSE(mentions(p, words)) << m->role << " received Anna's words";
            }
        }
        EXPECT_EQ(Writing_room::counts(*m, "timeline"), (std::map<std::string, int>{{room.anna->you, 2}, {room.ben->you, 1}}));
    }
    EXPECT_TRUE(mentions(item_of(room.anna->state, "timeline", "i" + std::to_string(first)), words));
    EXPECT_TRUE(mentions(room.f->state, std::string(words) + "-c"));
    // An author waits for the reveal; a participant may not reveal the board.
    EXPECT_EQ(room.anna->run("item.reveal", {{"board", "timeline"}, {"id", "i" + std::to_string(first)}})["code"], "conflict");
    EXPECT_EQ(room.anna->run("board.reveal", {{"board", "timeline"}})["code"], "forbidden");

    const auto revealed = room.f->ok("board.reveal", {{"board", "timeline"}});
    room.sync(revealed);
    for (auto* m : room.all()) {
        const json& p = m->patches.back();
        EXPECT_EQ(p["seq"], revealed);
        EXPECT_EQ(p["patch"].size(), 4u) << m->role << ": " << p.dump();
        for (const char* tail : {"-a", "-b", "-c"}) EXPECT_TRUE(mentions(p, std::string(words) + tail)) << m->role;
        EXPECT_EQ(m->state["boards"]["timeline"]["private"], false);
        EXPECT_TRUE(Writing_room::counts(*m, "timeline").empty());
        // What each member holds is what a fresh welcome would give it.
        EXPECT_EQ(m->state, fresh_welcome(room.port, room.keys.code, m->token)["state"]) << m->role;
    }
}

TEST(PrivateWriting, OnlyFacilitatorsStartItAndBadInputIsRefusedClearly)
{
    Writing_room room(shared_server().port());
    EXPECT_EQ(room.anna->run("board.private", {{"board", "timeline"}, {"private", true}})["code"], "forbidden");
    EXPECT_EQ(room.f->run("board.private", {{"board", "agenda"}, {"private", true}})["code"], "invalid");
    EXPECT_EQ(room.f->run("board.private", {{"board", "timeline"}, {"private", "on"}})["code"], "bad_request");
    EXPECT_EQ(room.f->run("board.private", {{"board", "timeline"}})["code"], "bad_request");
    EXPECT_EQ(room.f->run("board.reveal", {{"board", "timeline"}, {"ids", json::array()}})["code"], "invalid");
    const json refused = room.f->run("phase.add", {{"title", "Hiljaa"}, {"private_writing", true}});
    EXPECT_EQ(refused["code"], "invalid");
    EXPECT_FALSE(refused.value("message", "").empty());
}

TEST(PrivateWriting, TheMonniTimelinePhaseStartsPrivateWriting)
{
    Writing_room room(shared_server().port(), {{"title", "MONNI"}, {"language", "fi"}, {"template", "monni-professionals"}});
    EXPECT_EQ(room.screen->state["boards"]["timeline"]["private"], false);
    const auto seq = room.f->ok("phase.goto", {{"phase", "timeline"}});
    room.sync(seq);
    EXPECT_EQ(room.screen->state["boards"]["timeline"]["private"], true);
    const auto added = room.ben->ok("item.add", {{"board", "timeline"}, {"column", "event"}, {"text", words}});
    room.sync(added);
    EXPECT_FALSE(mentions(room.screen->state, words));
    EXPECT_FALSE(mentions(room.anna->state, words));
}

TEST(Spotlight, EveryMemberIsBroughtThereAndReleased)
{
    Writing_room room(shared_server().port());
    const auto added = room.anna->ok("item.add", {{"board", "vision"}, {"column", "hinders"}, {"text", "Kiire"}});
    const std::string id = "i" + std::to_string(added);
    EXPECT_EQ(room.anna->run("spotlight.set", {{"board", "vision"}})["code"], "forbidden");
    EXPECT_EQ(room.f->run("spotlight.set", {{"board", "vision"}, {"item", "i9999"}})["code"], "not_found");
    EXPECT_EQ(room.f->run("spotlight.set", {{"board", "vision"}, {"column", "event"}})["code"], "invalid");
    auto seq = room.f->ok("spotlight.set", {{"board", "vision"}, {"item", id}});
    room.sync(seq);
    for (auto* m : room.all()) {
        EXPECT_EQ(m->state["spotlight"]["board"], "vision") << m->role;
        EXPECT_EQ(m->state["spotlight"]["item"], id) << m->role;
        EXPECT_TRUE(m->state["spotlight"]["at"].is_number_integer()) << m->role;
    }
    EXPECT_EQ(room.anna->run("spotlight.clear")["code"], "forbidden");
    seq = room.f->ok("spotlight.clear");
    room.sync(seq);
    for (auto* m : room.all()) EXPECT_TRUE(m->state["spotlight"].is_null()) << m->role;
    // A held item is nobody's to show yet.
    const auto held = room.anna->ok("item.add", {{"board", "vision"}, {"column", "vision"}, {"text", "Oma"}, {"hidden", true}});
    EXPECT_EQ(room.f->run("spotlight.set", {{"board", "vision"}, {"item", "i" + std::to_string(held)}})["code"], "conflict");
}

// A room stored before private writing and spotlight: its snapshot has neither key. Loaded
// again it gets the defaults, and the ops written since (which add them) replay onto it.
TEST(PrivateWriting, RoomsStoredBeforeGetTheDefaultsAndReplay)
{
    Temp_dir dir;
    const auto db_path = dir.path() / "old.db";
    Room_keys keys;
    {
        Server_process server(db_path);
        keys = create_room(server.port(), {{"title", "Vanha"}, {"language", "fi"}});
        server.signal(SIGTERM);
        ASSERT_TRUE(server.wait_exit(std::chrono::seconds(10)));
    }
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(db_path.c_str(), &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    const std::string sql = "UPDATE snapshots SET state = json_remove(state, '$.spotlight', '$.boards.timeline.private', "
                            "'$.boards.vision.private', '$.boards.plan.private', '$.boards.reflections.private', "
                            "'$.boards.hypotheses.private', '$.boards.commitments.private', '$.phases[0].private_writing') "
                            "WHERE room = '" + keys.code + "'";
    ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
    {
        Server_process server(db_path);
        Member f(server.port(), keys.code, with_key(keys.facilitator_key));
        EXPECT_TRUE(f.state.contains("spotlight") && f.state["spotlight"].is_null());
        EXPECT_EQ(f.state["boards"]["timeline"]["private"], false);
        EXPECT_EQ(f.state["phases"][0]["private_writing"], false);
        f.ok("board.private", {{"board", "vision"}, {"private", true}});
        f.ok("spotlight.set", {{"board", "plan"}});
        server.signal(SIGTERM);
        ASSERT_TRUE(server.wait_exit(std::chrono::seconds(10)));
    }
    Server_process server(db_path);
    Member f(server.port(), keys.code, with_key(keys.facilitator_key));
    EXPECT_EQ(f.state["boards"]["vision"]["private"], true);
    EXPECT_EQ(f.state["spotlight"]["board"], "plan");
    auto history = http_get(server.port(), "/api/rooms/" + keys.code + "/history?seq=1000000", bearer(keys.facilitator_key));
    ASSERT_EQ(history.status, 200) << history.body;
    EXPECT_EQ(history.json_body()["state"]["boards"]["vision"]["private"], true);
}
