// The command table (keha/commands.hpp) and what apply_command tells the server to do beside
// the patch (Effects): the server acts on these and never on a command's name, so each effect
// a user relies on — the removed person leaves, a closed meeting ends every connection, a
// change of who sees what welcomes everyone again — is checked here command by command.
#include <gtest/gtest.h>

#include <set>

#include "helpers.hpp"
#include "keha/commands.hpp"
#include "keha/permissions.hpp"
#include "keha/protocol.hpp"

namespace keha::test {
namespace {

struct Effects_room : Room {
    // The command's effects; it must succeed.
    Effects effects(const Actor& actor, const std::string& cmd, json args = json::object(), const json* input = nullptr)
    {
        auto r = apply_command(state, actor, Command{cmd, std::move(args)}, Context{seq + 1, now_ms, input});
        if (auto* e = std::get_if<Error>(&r)) {
            ADD_FAILURE() << cmd << " failed: " << to_string(e->code) << ": " << e->message;
            return {};
        }
        ++seq;
        return std::get<Applied>(r).effects;
    }
};

bool nothing_to_do(const Effects& e)
{
    return e.resync == Effects::Resync::none && e.removed.empty() && !e.merged && !e.room_closed && !e.erased &&
           e.ack.empty() && !e.anonymous_answer;
}

TEST(CommandTable, EveryCommandHasOneRowAndAHandler)
{
    std::set<std::string_view> names;
    for (const auto& spec : command_table()) {
        EXPECT_TRUE(names.insert(spec.name).second) << spec.name << " twice";
        EXPECT_NE(spec.handler, nullptr) << spec.name;
        EXPECT_EQ(find_command(spec.name), &spec);
    }
    EXPECT_EQ(names.size(), known_commands().size());
    EXPECT_EQ(find_command("item.fly"), nullptr);
}

TEST(CommandTable, OnlyTheCommandsThatNeedDataTheRoomDoesNotHoldAskTheServerForIt)
{
    EXPECT_EQ(find_command("ratings.close")->input, Server_input::rating_results);
    EXPECT_EQ(find_command("item.import")->input, Server_input::earlier_meeting);
    for (const auto& spec : command_table()) {
        if (spec.name != "ratings.close" && spec.name != "item.import") {
            EXPECT_EQ(spec.input, Server_input::none) << spec.name;
        }
    }
    // Only a new item from a person counts toward the server's limit of items.
    EXPECT_TRUE(find_command("item.add")->adds_item);
}

TEST(CommandChecks, RefusalsBeforeTheHandlerRuns)
{
    Room room;
    const std::string f = room.join("Fiia", "facilitator");
    const std::string p = room.join("Pekka");
    auto code_of = [&](const Actor& a, std::string_view cmd) {
        auto r = check_command(room.state, a, cmd);
        return std::holds_alternative<Error>(r) ? std::string(to_string(std::get<Error>(r).code)) : std::string("ok");
    };
    EXPECT_EQ(code_of({f, Role::facilitator}, "item.fly"), "bad_request");
    EXPECT_EQ(code_of({p, Role::participant}, "phase.goto"), "forbidden");
    EXPECT_EQ(code_of({"", Role::server}, "item.add"), "forbidden");
    EXPECT_EQ(code_of({p, Role::participant}, "item.add"), "ok");
    room.ok({f, Role::facilitator}, "room.close");
    EXPECT_EQ(code_of({f, Role::facilitator}, "room.update"), "room_closed");
    EXPECT_EQ(code_of({"", Role::server}, "participant.offline"), "ok") << "the server still records presence";
}

TEST(CommandChecks, SomeoneInTheLobbyCanDoNothingYet)
{
    Room room;
    const std::string f = room.join("Fiia", "facilitator");
    room.ok({f, Role::facilitator}, "room.settings", {{"admit_joiners", true}});
    const std::string p = room.join("Pekka");
    EXPECT_EQ(lobby_reason(room.state), protocol::lobby_admit);
    auto r = check_command(room.state, {p, Role::participant}, "hand.raise");
    ASSERT_TRUE(std::holds_alternative<Error>(r));
    EXPECT_EQ(std::get<Error>(r).code, Error_code::forbidden);
    room.fails(Error_code::forbidden, {p, Role::participant}, "hand.raise");
}

TEST(CommandEffects, RemovingSomeoneEndsTheirConnections)
{
    Effects_room room;
    const std::string f = room.join("Fiia", "facilitator");
    const std::string p = room.join("Pekka");
    auto e = room.effects({f, Role::facilitator}, "participant.remove", {{"pid", p}});
    EXPECT_EQ(e.removed, std::vector<std::string>{p});
    EXPECT_FALSE(e.room_closed);
}

TEST(CommandEffects, ClosingTheMeetingEndsEveryConnection)
{
    Effects_room room;
    const std::string f = room.join("Fiia", "facilitator");
    EXPECT_TRUE(room.effects({f, Role::facilitator}, "room.close").room_closed);
}

TEST(CommandEffects, AChangeOfWhoSeesWhatWelcomesEveryoneAgain)
{
    Effects_room room;
    const std::string f = room.join("Fiia", "facilitator");
    const std::string p = room.join("Pekka");
    EXPECT_EQ(room.effects({f, Role::facilitator}, "room.settings", {{"hide_names", true}}).resync, Effects::Resync::everyone);
    EXPECT_EQ(room.effects({f, Role::facilitator}, "participant.role", {{"pid", p}, {"role", "facilitator"}}).resync,
              Effects::Resync::everyone);
}

TEST(CommandEffects, LettingPeopleInResyncsTheLobby)
{
    Effects_room room;
    const std::string f = room.join("Fiia", "facilitator");
    room.effects({f, Role::facilitator}, "room.settings", {{"consent_required", true}});
    const std::string p = room.join("Pekka");
    EXPECT_EQ(lobby_reason(room.state), protocol::lobby_consent);
    auto consent = room.effects({f, Role::facilitator}, "consent.record", {{"given_by", "Nuori"}, {"scope", "Kaikki"}});
    EXPECT_EQ(consent.resync, Effects::Resync::lobby);
    EXPECT_TRUE(room.participant(p).value("admitted", false));
    room.effects({f, Role::facilitator}, "room.settings", {{"admit_joiners", true}});
    const std::string q = room.join("Qiana");
    EXPECT_EQ(room.effects({f, Role::facilitator}, "participant.admit", {{"pid", q}}).resync, Effects::Resync::lobby);
}

TEST(CommandEffects, AMergedPersonsConnectionsGoOnAsTheKeptOne)
{
    Effects_room room;
    const std::string f = room.join("Fiia", "facilitator");
    const std::string a = room.join("Pekka");
    const std::string b = room.join("Pekka K.");
    auto e = room.effects({f, Role::facilitator}, "participant.merge", {{"from", a}, {"into", b}});
    ASSERT_TRUE(e.merged);
    EXPECT_EQ(*e.merged, (std::pair{a, b}));
    EXPECT_EQ(e.resync, Effects::Resync::everyone);
}

TEST(CommandEffects, ErasingAnItemTakesItsTextOutOfTheHistoryOnlyWhenAsked)
{
    Effects_room room;
    const std::string f = room.join("Fiia", "facilitator");
    const std::string one = room.add({f, Role::facilitator}, "timeline", "event", "Koulu alkoi");
    const std::string two = room.add({f, Role::facilitator}, "timeline", "event", "Muutto");
    EXPECT_FALSE(room.effects({f, Role::facilitator}, "item.delete", {{"board", "timeline"}, {"id", one}}).erased);
    auto e = room.effects({f, Role::facilitator}, "item.delete", {{"board", "timeline"}, {"id", two}, {"erase", true}});
    ASSERT_TRUE(e.erased);
    EXPECT_EQ(*e.erased, (std::pair<std::string, std::string>{"timeline", two}));
}

TEST(CommandEffects, AnAnswerToTheQuestionnaireStaysOutOfThePatch)
{
    Effects_room room;
    const std::string f = room.join("Fiia", "facilitator");
    const std::string p = room.join("Pekka");
    room.effects({f, Role::facilitator}, "ratings.open");
    const std::string question = room.state["ratings"]["questions"][0]["id"];
    const json answer = {{"answers", {{question, 7}}}, {"comment", "Hyvä"}};
    auto r = apply_command(room.state, {p, Role::participant}, Command{"rating.submit", answer}, Context{room.seq + 1, room.now_ms});
    ASSERT_TRUE(std::holds_alternative<Applied>(r));
    const Applied& applied = std::get<Applied>(r);
    ASSERT_TRUE(applied.effects.anonymous_answer);
    EXPECT_EQ(applied.effects.anonymous_answer->topic, "ratings");
    EXPECT_EQ(applied.effects.anonymous_answer->answer, answer);
    EXPECT_EQ(applied.patch.dump().find("Hyvä"), std::string::npos);
}

TEST(CommandEffects, MostCommandsAskNothingMoreThanThePatch)
{
    Effects_room room;
    const std::string f = room.join("Fiia", "facilitator");
    const std::string p = room.join("Pekka");
    EXPECT_TRUE(nothing_to_do(room.effects({p, Role::participant}, "hand.raise")));
    EXPECT_TRUE(nothing_to_do(room.effects({f, Role::facilitator}, "phase.goto", {{"phase", "plan"}})));
    EXPECT_TRUE(nothing_to_do(room.effects({f, Role::facilitator}, "room.lock", {{"locked", true}})));
    EXPECT_TRUE(nothing_to_do(room.effects({"", Role::server}, "participant.offline", {{"pid", p}})));
}

TEST(ParticipantJoin, TheReducerDecidesWhetherTheMeetingTakesSomeoneNew)
{
    Room room;
    const std::string f = room.join("Fiia", "facilitator");
    const Actor server{"", Role::server};
    room.fails(Error_code::invalid, server, "participant.join", {{"name", ""}, {"group", "professional"}, {"role", "participant"}});
    room.fails(Error_code::invalid, server, "participant.join", {{"name", "Pekka"}, {"group", "boss"}, {"role", "participant"}});
    room.fails(Error_code::invalid, server, "participant.join", {{"name", "Pekka"}, {"group", "other"}, {"role", "server"}});
    room.ok({f, Role::facilitator}, "room.lock", {{"locked", true}});
    room.fails(Error_code::locked, server, "participant.join", {{"name", "Pekka"}, {"group", "other"}, {"role", "participant"}});
    room.join("Seinä", "screen", "other");  // a lock keeps out participants, not the projector
    room.ok({f, Role::facilitator}, "room.lock", {{"locked", false}});
    room.ok({f, Role::facilitator}, "room.close");
    room.fails(Error_code::room_closed, server, "participant.join",
               {{"name", "Pekka"}, {"group", "other"}, {"role", "participant"}});
}

}  // namespace
}  // namespace keha::test
