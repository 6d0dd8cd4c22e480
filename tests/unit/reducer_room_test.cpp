// The room, timer, hand and participant commands of the reducer, the server's own
// commands, and patch correctness over long random command sequences.
#include <gtest/gtest.h>

#include "helpers.hpp"
#include "keha/text.hpp"
#include "random_room.hpp"

namespace keha::test {
namespace {

class ReducerRoom : public Four_people {};

// ---------------------------------------------------------------- phase.goto

TEST_F(ReducerRoom, PhaseGotoByFacilitatorChangesPhase)
{
    EXPECT_EQ(room.state["phase"], "opening");
    auto patch = room.ok(fac(), "phase.goto", {{"phase", "vision"}});
    EXPECT_EQ(patch, json::parse(R"([{"op":"replace","path":"/phase","value":"vision"}])"));
    EXPECT_EQ(room.state["phase"], "vision");
    EXPECT_EQ(room.ok(fac(), "phase.goto", {{"phase", "vision"}}), json::array());
}

TEST_F(ReducerRoom, PhaseGotoErrors)
{
    room.fails(Error_code::forbidden, a(), "phase.goto", {{"phase", "vision"}});
    room.fails(Error_code::forbidden, screen(), "phase.goto", {{"phase", "vision"}});
    room.fails(Error_code::forbidden, Room::server, "phase.goto", {{"phase", "vision"}});
    room.fails(Error_code::invalid, fac(), "phase.goto", {{"phase", "lunch"}});
    room.fails(Error_code::invalid, fac(), "phase.goto", {{"phase", "vision"}, {"force", true}});
    room.fails(Error_code::invalid, fac(), "phase.goto", {{"phase", ""}});
    room.fails(Error_code::bad_request, fac(), "phase.goto", json::object());
    room.fails(Error_code::bad_request, fac(), "phase.goto", {{"phase", 2}});
    room.fails(Error_code::bad_request, fac(), "phase.goto", json::array());
}

// ---------------------------------------------------------------- room.update / lock / close

TEST_F(ReducerRoom, RoomUpdateChangesTitle)
{
    auto patch = room.ok(fac(), "room.update", {{"title", "Kevään tapaaminen"}});
    EXPECT_EQ(patch, json::parse(R"([{"op":"replace","path":"/room/title","value":"Kevään tapaaminen"}])"));
    EXPECT_EQ(room.ok(fac(), "room.update", json::object()), json::array());
    EXPECT_EQ(room.ok(fac(), "room.update", {{"title", "Kevään tapaaminen"}}), json::array());
}

TEST_F(ReducerRoom, RoomTitleIsOneTo200CodePoints)
{
    room.ok(fac(), "room.update", {{"title", repeat("ä", 200)}});
    room.ok(fac(), "room.update", {{"title", repeat("😀", 200)}});
    room.ok(fac(), "room.update", {{"title", "x"}});
    room.fails(Error_code::invalid, fac(), "room.update", {{"title", repeat("ä", 201)}});
    room.fails(Error_code::invalid, fac(), "room.update", {{"title", repeat("😀", 201)}});
    room.fails(Error_code::invalid, fac(), "room.update", {{"title", ""}});
}

TEST_F(ReducerRoom, RoomUpdateErrors)
{
    room.fails(Error_code::forbidden, a(), "room.update", {{"title", "x"}});
    room.fails(Error_code::forbidden, screen(), "room.update", {{"title", "x"}});
    room.fails(Error_code::bad_request, fac(), "room.update", {{"title", 5}});
    room.fails(Error_code::invalid, fac(), "room.update", {{"title", "x"}, {"language", "sv"}});
    room.fails(Error_code::invalid, fac(), "room.update", {{"code", "AAAAAA"}});
}

TEST_F(ReducerRoom, RoomLockSetsLocked)
{
    auto patch = room.ok(fac(), "room.lock", {{"locked", true}});
    EXPECT_EQ(patch, json::parse(R"([{"op":"replace","path":"/room/locked","value":true}])"));
    EXPECT_EQ(room.ok(fac(), "room.lock", {{"locked", true}}), json::array());
    room.ok(fac(), "room.lock", {{"locked", false}});
    EXPECT_EQ(room.state["room"]["locked"], false);
}

TEST_F(ReducerRoom, RoomLockErrors)
{
    room.fails(Error_code::forbidden, a(), "room.lock", {{"locked", true}});
    room.fails(Error_code::forbidden, screen(), "room.lock", {{"locked", true}});
    room.fails(Error_code::bad_request, fac(), "room.lock", json::object());
    room.fails(Error_code::bad_request, fac(), "room.lock", {{"locked", "yes"}});
    room.fails(Error_code::bad_request, fac(), "room.lock", {{"locked", 1}});
    room.fails(Error_code::invalid, fac(), "room.lock", {{"locked", true}, {"until", 5}});
}

TEST_F(ReducerRoom, RoomCloseClosesAndEveryLaterClientCommandIsRoomClosed)
{
    room.fails(Error_code::forbidden, a(), "room.close");
    room.fails(Error_code::invalid, fac(), "room.close", {{"now", true}});
    auto patch = room.ok(fac(), "room.close");
    EXPECT_EQ(patch, json::parse(R"([{"op":"replace","path":"/room/status","value":"closed"}])"));
    EXPECT_EQ(room.state["room"]["status"], "closed");

    room.fails(Error_code::room_closed, fac(), "room.close");
    room.fails(Error_code::room_closed, fac(), "phase.goto", {{"phase", "plan"}});
    room.fails(Error_code::room_closed, fac(), "room.update", {{"title", "x"}});
    room.fails(Error_code::room_closed, fac(), "room.lock", {{"locked", true}});
    room.fails(Error_code::room_closed, fac(), "timer.start", {{"duration_s", 60}});
    room.fails(Error_code::room_closed, fac(), "timer.reset");
    room.fails(Error_code::room_closed, a(), "hand.raise");
    room.fails(Error_code::room_closed, a(), "hand.lower");
    room.fails(Error_code::room_closed, a(), "participant.rename", {{"name", "x"}});
    room.fails(Error_code::room_closed, fac(), "participant.remove", {{"pid", a_id}});
    // A role that may not send the command at all is still forbidden.
    room.fails(Error_code::forbidden, screen(), "room.update", {{"title", "x"}});
    // The server's presence commands keep working so the member list stays true.
    room.ok(Room::server, "participant.offline", {{"pid", a_id}});
    room.ok(Room::server, "participant.online", {{"pid", a_id}});
    room.ok(Room::server, "participant.remove", {{"pid", b_id}});
}

// ---------------------------------------------------------------- timer

TEST_F(ReducerRoom, TimerStartRunsFromTheContextClock)
{
    room.now_ms = 1'000'000;
    auto patch = room.ok(fac(), "timer.start", {{"duration_s", 300}});
    json running = {{"state", "running"}, {"duration_s", 300}, {"ends_at_ms", 1'000'000 + 300'000}};
    EXPECT_EQ(patch, (json{{{"op", "replace"}, {"path", "/timer"}, {"value", running}}}));
    EXPECT_EQ(room.state["timer"], running);
}

TEST_F(ReducerRoom, TimerPauseKeepsRemainingAndResumeRecomputesEnd)
{
    room.now_ms = 1'000'000;
    room.ok(fac(), "timer.start", {{"duration_s", 300}});
    room.now_ms += 120'500;
    room.ok(fac(), "timer.pause");
    EXPECT_EQ(room.state["timer"], (json{{"state", "paused"}, {"duration_s", 300}, {"remaining_ms", 179'500}}));
    room.now_ms += 3'600'000;  // a long lunch does not count
    room.ok(fac(), "timer.resume");
    EXPECT_EQ(room.state["timer"],
              (json{{"state", "running"}, {"duration_s", 300}, {"ends_at_ms", room.now_ms + 179'500}}));
    room.now_ms += 79'500;
    room.ok(fac(), "timer.pause");
    EXPECT_EQ(room.state["timer"]["remaining_ms"], 100'000);
}

TEST_F(ReducerRoom, TimerPausedAfterItsEndHasNothingRemaining)
{
    room.now_ms = 5'000;
    room.ok(fac(), "timer.start", {{"duration_s", 1}});
    room.now_ms += 10'000;
    room.ok(fac(), "timer.pause");
    EXPECT_EQ(room.state["timer"]["remaining_ms"], 0);
}

TEST_F(ReducerRoom, TimerStartWhileRunningRestarts)
{
    room.now_ms = 0;
    room.ok(fac(), "timer.start", {{"duration_s", 60}});
    room.now_ms = 30'000;
    room.ok(fac(), "timer.start", {{"duration_s", 90}});
    EXPECT_EQ(room.state["timer"], (json{{"state", "running"}, {"duration_s", 90}, {"ends_at_ms", 120'000}}));
}

TEST_F(ReducerRoom, TimerResetGoesIdle)
{
    room.ok(fac(), "timer.start", {{"duration_s", 60}});
    auto patch = room.ok(fac(), "timer.reset");
    EXPECT_EQ(patch, json::parse(R"([{"op":"replace","path":"/timer","value":{"state":"idle"}}])"));
    EXPECT_EQ(room.state["timer"], (json{{"state", "idle"}}));
    room.ok(fac(), "timer.start", {{"duration_s", 60}});
    room.ok(fac(), "timer.pause");
    room.ok(fac(), "timer.reset");
    EXPECT_EQ(room.state["timer"], (json{{"state", "idle"}}));
}

TEST_F(ReducerRoom, TimerCommandsThatDoNotApplyGiveEmptyPatches)
{
    EXPECT_EQ(room.ok(fac(), "timer.pause"), json::array());
    EXPECT_EQ(room.ok(fac(), "timer.resume"), json::array());
    EXPECT_EQ(room.ok(fac(), "timer.reset"), json::array());
    room.ok(fac(), "timer.start", {{"duration_s", 60}});
    EXPECT_EQ(room.ok(fac(), "timer.resume"), json::array());
    room.ok(fac(), "timer.pause");
    EXPECT_EQ(room.ok(fac(), "timer.pause"), json::array());
}

TEST_F(ReducerRoom, TimerDurationIsOneTo14400Seconds)
{
    room.ok(fac(), "timer.start", {{"duration_s", 1}});
    room.ok(fac(), "timer.start", {{"duration_s", 14400}});
    room.fails(Error_code::invalid, fac(), "timer.start", {{"duration_s", 0}});
    room.fails(Error_code::invalid, fac(), "timer.start", {{"duration_s", -5}});
    room.fails(Error_code::invalid, fac(), "timer.start", {{"duration_s", 14401}});
    room.fails(Error_code::invalid, fac(), "timer.start", {{"duration_s", json(18446744073709551615ull)}});
    room.fails(Error_code::bad_request, fac(), "timer.start", json::object());
    room.fails(Error_code::bad_request, fac(), "timer.start", {{"duration_s", "300"}});
    room.fails(Error_code::bad_request, fac(), "timer.start", {{"duration_s", 1.5}});
    room.fails(Error_code::invalid, fac(), "timer.start", {{"duration_s", 60}, {"sound", true}});
    room.fails(Error_code::invalid, fac(), "timer.pause", {{"at", 1}});
    room.fails(Error_code::invalid, fac(), "timer.resume", {{"at", 1}});
    room.fails(Error_code::invalid, fac(), "timer.reset", {{"at", 1}});
}

TEST_F(ReducerRoom, TimerCommandsAreFacilitatorOnly)
{
    for (const char* cmd : {"timer.start", "timer.pause", "timer.resume", "timer.reset"}) {
        json args = std::string(cmd) == "timer.start" ? json{{"duration_s", 60}} : json::object();
        room.fails(Error_code::forbidden, a(), cmd, args);
        room.fails(Error_code::forbidden, screen(), cmd, args);
        room.fails(Error_code::forbidden, Room::server, cmd, args);
    }
}

// ---------------------------------------------------------------- hands

TEST_F(ReducerRoom, HandRaiseRecordsWhen)
{
    room.now_ms = 77'000;
    auto patch = room.ok(a(), "hand.raise");
    EXPECT_EQ(patch, json::parse(R"([{"op":"replace","path":"/participants/)" + a_id +
                                 R"(/hand","value":true},{"op":"replace","path":"/participants/)" + a_id +
                                 R"(/hand_at","value":77000}])"));
    room.now_ms = 99'000;
    EXPECT_EQ(room.ok(a(), "hand.raise"), json::array());  // the first raise keeps its place
    EXPECT_EQ(room.participant(a_id)["hand_at"], 77'000);
    room.ok(fac(), "hand.raise");
    EXPECT_EQ(room.participant(fac_id)["hand"], true);
}

TEST_F(ReducerRoom, HandLowerOwnHand)
{
    room.ok(a(), "hand.raise");
    auto patch = room.ok(a(), "hand.lower");
    EXPECT_EQ(patch.size(), 2u);
    EXPECT_EQ(room.participant(a_id)["hand"], false);
    EXPECT_TRUE(room.participant(a_id)["hand_at"].is_null());
    EXPECT_EQ(room.ok(a(), "hand.lower"), json::array());
    room.ok(a(), "hand.raise");
    room.ok(a(), "hand.lower", {{"pid", a_id}});
    EXPECT_EQ(room.participant(a_id)["hand"], false);
}

TEST_F(ReducerRoom, HandLowerOfAnothersHandIsFacilitatorOnly)
{
    room.ok(a(), "hand.raise");
    room.fails(Error_code::forbidden, b(), "hand.lower", {{"pid", a_id}});
    room.ok(fac(), "hand.lower", {{"pid", a_id}});
    EXPECT_EQ(room.participant(a_id)["hand"], false);
}

TEST_F(ReducerRoom, HandErrors)
{
    room.fails(Error_code::forbidden, screen(), "hand.raise");
    room.fails(Error_code::forbidden, Room::server, "hand.raise");
    room.fails(Error_code::forbidden, screen(), "hand.lower");
    room.fails(Error_code::invalid, a(), "hand.raise", {{"pid", a_id}});
    room.fails(Error_code::invalid, a(), "hand.lower", {{"who", a_id}});
    room.fails(Error_code::bad_request, fac(), "hand.lower", {{"pid", 3}});
    room.fails(Error_code::not_found, fac(), "hand.lower", {{"pid", "p999"}});
    // An actor that is not in the participant list has no hand.
    room.fails(Error_code::not_found, Actor{"p4242", Role::participant}, "hand.raise");
    room.fails(Error_code::not_found, Actor{"p4242", Role::participant}, "hand.lower");
}

// ---------------------------------------------------------------- participants

TEST_F(ReducerRoom, ParticipantJoinAddsParticipantWithIdFromSeq)
{
    room.now_ms = 1'795'000'000'000;
    auto patch = room.ok(Room::server, "participant.join", {{"name", "Maija"}, {"group", "expert"}, {"role", "participant"}});
    const std::string pid = "p" + std::to_string(room.seq);
    EXPECT_EQ(pid, participant_id_for(room.seq));
    json expected = {{"name", "Maija"},   {"role", "participant"}, {"group", "expert"},
                     {"online", true},    {"hand", false},         {"hand_at", nullptr},
                     {"removed", false},  {"joined_at", iso8601_utc(room.now_ms)}};
    ASSERT_EQ(patch.size(), 1u);
    EXPECT_EQ(patch[0]["op"], "add");
    EXPECT_EQ(patch[0]["path"], "/participants/" + pid);
    EXPECT_EQ(patch[0]["value"], room.participant(pid));
    // The fields of docs/protocol.md; the lobby adds "admitted".
    for (const auto& [k, v] : expected.items()) EXPECT_EQ(room.participant(pid)[k], v) << k;
}

TEST_F(ReducerRoom, ParticipantJoinAcceptsEveryGroupAndPersonRole)
{
    for (const char* group : {"professional", "leader", "expert", "other"})
        for (const char* role : {"facilitator", "participant", "screen"}) {
            auto pid = room.join("X", role, group);
            EXPECT_EQ(room.participant(pid)["group"], group);
            EXPECT_EQ(room.participant(pid)["role"], role);
        }
}

TEST_F(ReducerRoom, ParticipantJoinErrors)
{
    json good = {{"name", "Maija"}, {"group", "expert"}, {"role", "participant"}};
    auto with = [&](const char* k, json v) { json a = good; a[k] = std::move(v); return a; };
    auto without = [&](const char* k) { json a = good; a.erase(k); return a; };
    room.fails(Error_code::forbidden, fac(), "participant.join", good);
    room.fails(Error_code::forbidden, a(), "participant.join", good);
    room.fails(Error_code::forbidden, screen(), "participant.join", good);
    room.fails(Error_code::bad_request, Room::server, "participant.join", without("name"));
    room.fails(Error_code::bad_request, Room::server, "participant.join", without("group"));
    room.fails(Error_code::bad_request, Room::server, "participant.join", without("role"));
    room.fails(Error_code::bad_request, Room::server, "participant.join", with("name", 7));
    room.fails(Error_code::invalid, Room::server, "participant.join", with("group", "boss"));
    room.fails(Error_code::invalid, Room::server, "participant.join", with("role", "server"));
    room.fails(Error_code::invalid, Room::server, "participant.join", with("role", "admin"));
    room.fails(Error_code::invalid, Room::server, "participant.join", with("name", ""));
    room.fails(Error_code::invalid, Room::server, "participant.join", with("name", repeat("ä", 61)));
    room.fails(Error_code::invalid, Room::server, "participant.join", with("token", "t"));
    room.join(repeat("😀", 60));
}

TEST_F(ReducerRoom, ParticipantPresence)
{
    auto off = room.ok(Room::server, "participant.offline", {{"pid", a_id}});
    EXPECT_EQ(off, json::parse(R"([{"op":"replace","path":"/participants/)" + a_id + R"(/online","value":false}])"));
    EXPECT_EQ(room.ok(Room::server, "participant.offline", {{"pid", a_id}}), json::array());
    room.ok(Room::server, "participant.online", {{"pid", a_id}});
    EXPECT_EQ(room.participant(a_id)["online"], true);
    room.fails(Error_code::not_found, Room::server, "participant.online", {{"pid", "p999"}});
    room.fails(Error_code::bad_request, Room::server, "participant.online", json::object());
    room.fails(Error_code::invalid, Room::server, "participant.offline", {{"pid", a_id}, {"why", "x"}});
    room.fails(Error_code::forbidden, fac(), "participant.online", {{"pid", a_id}});
    room.fails(Error_code::forbidden, a(), "participant.offline", {{"pid", a_id}});
}

TEST_F(ReducerRoom, ParticipantRenameChangesOwnName)
{
    auto patch = room.ok(a(), "participant.rename", {{"name", "Aino K."}});
    EXPECT_EQ(patch, json::parse(R"([{"op":"replace","path":"/participants/)" + a_id + R"(/name","value":"Aino K."}])"));
    room.ok(fac(), "participant.rename", {{"name", "Fia"}});  // unchanged
    room.ok(a(), "participant.rename", {{"name", repeat("ö", 60)}});
    room.fails(Error_code::invalid, a(), "participant.rename", {{"name", repeat("ö", 61)}});
    room.fails(Error_code::invalid, a(), "participant.rename", {{"name", ""}});
    room.fails(Error_code::invalid, a(), "participant.rename", {{"name", "x"}, {"pid", b_id}});
    room.fails(Error_code::bad_request, a(), "participant.rename", json::object());
    room.fails(Error_code::forbidden, screen(), "participant.rename", {{"name", "Wall"}});
    room.fails(Error_code::not_found, Actor{"p4242", Role::participant}, "participant.rename", {{"name", "x"}});
}

TEST_F(ReducerRoom, ParticipantRemoveByFacilitator)
{
    room.ok(a(), "hand.raise");
    auto patch = room.ok(fac(), "participant.remove", {{"pid", a_id}});
    EXPECT_EQ(room.participant(a_id)["removed"], true);
    EXPECT_EQ(room.participant(a_id)["online"], false);
    EXPECT_EQ(room.participant(a_id)["hand"], false);
    EXPECT_TRUE(room.participant(a_id)["hand_at"].is_null());
    EXPECT_EQ(patch.size(), 4u);
    EXPECT_EQ(room.ok(fac(), "participant.remove", {{"pid", a_id}}), json::array());
}

TEST_F(ReducerRoom, ParticipantRemoveByServerMayRemoveAnyone)
{
    room.ok(Room::server, "participant.remove", {{"pid", b_id}});
    room.ok(Room::server, "participant.remove", {{"pid", fac_id}});
    EXPECT_EQ(room.participant(fac_id)["removed"], true);
}

TEST_F(ReducerRoom, ParticipantRemoveErrors)
{
    room.fails(Error_code::forbidden, a(), "participant.remove", {{"pid", b_id}});
    room.fails(Error_code::forbidden, screen(), "participant.remove", {{"pid", b_id}});
    room.fails(Error_code::forbidden, fac(), "participant.remove", {{"pid", fac_id}});
    auto other_fac = room.join("Second", "facilitator");
    room.fails(Error_code::forbidden, fac(), "participant.remove", {{"pid", other_fac}});
    room.fails(Error_code::not_found, fac(), "participant.remove", {{"pid", "p999"}});
    room.fails(Error_code::bad_request, fac(), "participant.remove", json::object());
    room.fails(Error_code::bad_request, fac(), "participant.remove", {{"pid", nullptr}});
    room.fails(Error_code::invalid, fac(), "participant.remove", {{"pid", b_id}, {"ban", true}});
}

// ---------------------------------------------------------------- generic rules

TEST_F(ReducerRoom, UnknownCommandIsBadRequestForEveryRole)
{
    for (Role role : {Role::facilitator, Role::participant, Role::screen, Role::server})
        room.fails(Error_code::bad_request, Actor{fac_id, role}, "room.delete");
}

TEST_F(ReducerRoom, NonObjectArgsAreBadRequestForEveryCommand)
{
    for (auto cmd : known_commands())
        for (const json& args : {json::array(), json("x"), json(nullptr), json(true), json(3)})
            room.fails(Error_code::bad_request, fac(), std::string(cmd), args);
}

// ---------------------------------------------------------------- patch correctness

// Every accepted command's patch, applied with nlohmann's RFC 6902 implementation to the
// state before the command, gives the reducer's state after it; every rejected command
// leaves the state byte for byte as it was.
TEST(ReducerPatch, RandomSequencesPatchesReproduceTheState)
{
    std::set<std::string> cmds_accepted;
    for (unsigned seed : {1u, 2u, 3u, 4u, 5u, 6u, 7u, 8u}) {
        SCOPED_TRACE("seed " + std::to_string(seed));
        Random_room rr(seed);
        rr.extensions = seed % 2 == 0;  // half the runs also send the project's own commands
        int accepted = 0, rejected = 0, empty = 0;
        for (int i = 0; i < 600; ++i) {
            if (i == 560) rr.allow_close = true;
            // Once near the end, the facilitator closes the room; the random steps go on.
            Step s = i == 560 ? rr.step(rr.facilitator, Role::facilitator, "room.close") : rr.step();
            if (s.accepted) {
                ++accepted;
                cmds_accepted.insert(s.cmd);
                if (s.patch.empty()) ++empty;
                ASSERT_TRUE(s.patch.is_array());
                json replayed;
                try {
                    replayed = s.before.patch(s.patch);
                } catch (const std::exception& e) {
                    FAIL() << "step " << i << " " << s.cmd << " " << s.args.dump() << ": patch " << s.patch.dump()
                           << " does not apply: " << e.what();
                }
                ASSERT_EQ(replayed, rr.room.state) << "step " << i << " " << s.cmd << " " << s.args.dump();
                ASSERT_EQ(replayed.dump(), rr.room.state.dump());
            } else {
                ++rejected;
                ASSERT_EQ(s.before.dump(), rr.room.state.dump()) << "rejected " << s.cmd << " changed the state";
            }
        }
        // The sequence really exercised the reducer.
        EXPECT_GT(accepted, 150);
        EXPECT_GT(rejected, 50);
        EXPECT_GT(empty, 3);
    }
    // Over all seeds, every command of docs/protocol.md §6 was accepted at least once.
    for (const auto& cmd : core_commands) EXPECT_TRUE(cmds_accepted.count(cmd)) << cmd;
}

// Ids come from the seq and times from the context, so replaying the op log builds the
// same state and the same patches.
TEST(ReducerPatch, ReplayWithTheSameContextsGivesTheSamePatchesAndState)
{
    Random_room rr(11);
    rr.extensions = true;
    json replayed = rr.room.state;
    std::vector<Step> steps;
    for (int i = 0; i < 800; ++i) {
        Step s = rr.step();
        if (s.accepted) steps.push_back(std::move(s));
    }
    for (const auto& s : steps) {
        auto r = apply(replayed, Actor{s.actor, s.role}, Command{s.cmd, s.args}, s.context);
        ASSERT_TRUE(std::holds_alternative<json>(r)) << s.cmd;
        ASSERT_EQ(std::get<json>(r), s.patch) << s.cmd;
    }
    EXPECT_EQ(replayed.dump(), rr.room.state.dump());
}

}  // namespace
}  // namespace keha::test
