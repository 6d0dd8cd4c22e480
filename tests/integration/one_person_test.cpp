// One person is one participant (docs/protocol.md §3 "hello", §8 participant.merge): the
// facilitator key rejoins the facilitator it made, from any tab or device; a facilitator
// merges two participants that are the same person, and the notes count them once.
#include <gtest/gtest.h>

#include <cctype>

#include "support/meeting.hpp"

using namespace keha::itest;

namespace {

std::uint16_t port() { return shared_server().port(); }

std::size_t count_of(const std::string& text, const std::string& what)
{
    std::size_t n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
    return n;
}

std::string notes_md(const Room_keys& keys)
{
    auto md = http_get(port(), "/api/rooms/" + keys.code + "/export?format=md&names=full",
                       {{"Authorization", "Bearer " + keys.facilitator_key}});
    EXPECT_EQ(md.status, 200) << md.body;
    return md.body;
}

// Takes messages until a welcome comes, and starts the member over from it.
json next_welcome(Member& m)
{
    for (int i = 0; i < 1000; ++i) {
        json msg = m.next();
        if (msg.value("type", "") != "welcome") continue;
        m.welcome = msg;
        m.you = msg.at("you");
        m.role = msg.at("role");
        m.seq = msg.at("seq");
        m.state = msg.at("state");
        return msg;
    }
    throw std::runtime_error("no welcome came");
}

json participants_of(const json& state, const std::string& role)
{
    json out = json::object();
    for (const auto& [pid, p] : state["participants"].items())
        if (p.value("role", "") == role && !p.contains("merged_into")) out[pid] = p;
    return out;
}

}  // namespace

TEST(OnePerson, TheFacilitatorKeyOpenedTwiceIsOneFacilitator)
{
    auto keys = create_room(port());
    json hello = {{"key", keys.facilitator_key}, {"name", "Fiona"}};
    Member first(port(), keys.code, hello);
    // A second tab or device, without the resume token: the same person, both connected.
    Member second(port(), keys.code, hello);
    EXPECT_EQ(second.you, first.you);
    EXPECT_EQ(second.role, "facilitator");
    EXPECT_EQ(second.token, first.token) << "one facilitator, one resume token";
    EXPECT_EQ(participants_of(second.state, "facilitator").size(), 1u) << second.state["participants"].dump();

    // Both connections act as the one facilitator.
    const auto seq = second.ok("item.add", {{"board", "timeline"}, {"column", "event"}, {"text", "Aloitus"}});
    first.catch_up(seq);
    first.ok("item.vote", {{"board", "timeline"}, {"id", "i" + std::to_string(seq)}});

    // Closing one tab leaves the person online; a third device later is the same person again.
    second.ws.close();
    first.ws.close();
    Member later(port(), keys.code, with_key(keys.facilitator_key));
    EXPECT_EQ(later.you, first.you);
    EXPECT_EQ(participants_of(later.state, "facilitator").size(), 1u);
    later.catch_up(later.seq + 1);  // its own participant.online
    EXPECT_TRUE(later.state["participants"][later.you]["online"].get<bool>());

    const std::string md = notes_md(keys);
    EXPECT_EQ(count_of(md, "Fiona"), 1u) << md;
}

TEST(OnePerson, ACoFacilitatorIsSomebodyElseThanTheKey)
{
    auto keys = create_room(port());
    Member alice(port(), keys.code, as_participant("Alice"));
    Member f(port(), keys.code, with_key(keys.facilitator_key));
    f.ok("participant.role", {{"pid", alice.you}, {"role", "facilitator"}});
    // Alice joined before the key was first used; the key still rejoins the one it made.
    Member again(port(), keys.code, with_key(keys.facilitator_key));
    EXPECT_EQ(again.you, f.you);
    EXPECT_NE(again.you, alice.you);
}

TEST(OnePerson, MergingTwoParticipantsKeepsOnePersonWithEverythingTheyDid)
{
    auto keys = create_room(port());
    Member f(port(), keys.code, {{"key", keys.facilitator_key}, {"name", "Fiona"}});
    Member phone(port(), keys.code, as_participant("Alice"));
    Member laptop(port(), keys.code, as_participant("Alice"));  // the same person, joined again
    ASSERT_NE(phone.you, laptop.you);
    const std::string kept = phone.you, gone = laptop.you;

    const auto shared = f.ok("item.add", {{"board", "vision"}, {"column", "vision"}, {"text", "Yhteinen"}});
    const std::string shared_id = "i" + std::to_string(shared);
    phone.catch_up(shared);
    laptop.catch_up(shared);
    phone.ok("item.vote", {{"board", "vision"}, {"id", shared_id}});
    laptop.ok("item.vote", {{"board", "vision"}, {"id", shared_id}});
    const auto secret = laptop.ok("item.add", {{"board", "vision"}, {"column", "vision"}, {"text", "Oma ajatus"}, {"hidden", true}});
    const std::string secret_id = "i" + std::to_string(secret);
    laptop.ok("hand.raise");
    phone.catch_up(laptop.seq);
    EXPECT_FALSE(item_of(phone.state, "vision", secret_id).contains("text")) << "not yet hers on the phone";

    // Refusals, each with its own code.
    f.catch_up(laptop.seq);
    EXPECT_EQ(f.run("participant.merge", {{"from", gone}, {"into", gone}})["code"], "invalid");
    EXPECT_EQ(f.run("participant.merge", {{"from", "p999"}, {"into", kept}})["code"], "not_found");
    EXPECT_EQ(f.run("participant.merge", {{"from", f.you}, {"into", kept}})["code"], "forbidden");
    EXPECT_EQ(phone.run("participant.merge", {{"from", gone}, {"into", kept}})["code"], "forbidden");

    f.ok("participant.merge", {{"from", gone}, {"into", kept}});
    // The laptop goes on as the kept participant; the phone sees what the laptop wrote.
    next_welcome(laptop);
    EXPECT_EQ(laptop.you, kept);
    next_welcome(phone);
    for (Member* m : {&phone, &laptop}) {
        const json& s = m->state;
        EXPECT_EQ(item_of(s, "vision", secret_id).value("text", ""), "Oma ajatus");
        EXPECT_EQ(item_of(s, "vision", secret_id)["author"], kept);
        EXPECT_EQ(item_of(s, "vision", shared_id)["voters"], json::array({kept})) << "a vote both gave counts once";
        EXPECT_EQ(item_of(s, "vision", shared_id)["votes"], 1);
        EXPECT_TRUE(s["participants"][kept]["hand"].get<bool>());
        EXPECT_EQ(s["participants"][gone]["merged_into"], kept);
        EXPECT_TRUE(s["participants"][gone]["removed"].get<bool>());
    }
    // The laptop's own resume token now resumes the kept person.
    EXPECT_EQ(fresh_welcome(port(), keys.code, laptop.token)["you"], kept);
    // Merging the merged-away one again is refused.
    EXPECT_EQ(f.run("participant.merge", {{"from", gone}, {"into", kept}})["code"], "conflict");

    const std::string md = notes_md(keys);
    EXPECT_EQ(count_of(md, "Alice"), 1u) << md;
    EXPECT_EQ(count_of(md, "Fiona"), 1u) << md;
}

namespace {

// Asks for a rejoin code on the member's connection; the answer.
json ask_rejoin_code(Member& m)
{
    m.ws.send({{"type", "rejoin_code"}});
    for (int i = 0; i < 1000; ++i) {
        json msg = m.next();
        if (msg.value("type", "") == "rejoin_code" || (msg.value("type", "") == "error" && msg["id"].is_null()))
            return msg;
    }
    throw std::runtime_error("no answer to rejoin_code");
}

}  // namespace

TEST(OnePerson, ARejoinCodeCarriesThePersonToAnotherDeviceOnce)
{
    auto keys = create_room(port());
    Member f(port(), keys.code, with_key(keys.facilitator_key));
    Member phone(port(), keys.code, as_participant("Aino", "expert"));
    json answer = ask_rejoin_code(phone);
    ASSERT_EQ(answer["type"], "rejoin_code") << answer.dump();
    const std::string code = answer["code"];
    ASSERT_EQ(code.size(), 11u) << code;  // XXXXX-XXXXX
    EXPECT_EQ(code[5], '-');
    EXPECT_GT(answer["expires_at_ms"].get<std::int64_t>(), 0);

    // Typed on the laptop, in any case: the same participant, with her own resume token.
    std::string typed = code;
    for (char& c : typed) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    Member laptop(port(), keys.code, {{"rejoin", typed}});
    EXPECT_EQ(laptop.you, phone.you);
    EXPECT_EQ(laptop.token, phone.token);
    EXPECT_EQ(participants_of(laptop.state, "participant").size(), 1u);

    // Used once, it is gone; a code never given is refused the same way.
    for (const std::string& again : {code, std::string("ABCDE-FGHJK")}) {
        auto refused = hello_answer(port(), hello_message(keys.code, {{"rejoin", again}}));
        ASSERT_TRUE(refused.message);
        EXPECT_EQ((*refused.message)["code"], "unauthorized") << refused.message->dump();
        EXPECT_TRUE(refused.closed);
    }
    // A new code replaces the last one.
    const std::string first = ask_rejoin_code(phone)["code"];
    const std::string second = ask_rejoin_code(phone)["code"];
    EXPECT_NE(first, second);
    EXPECT_EQ((*hello_answer(port(), hello_message(keys.code, {{"rejoin", first}})).message)["code"], "unauthorized");
    EXPECT_EQ(Member(port(), keys.code, {{"rejoin", second}}).you, phone.you);
    // The projector is nobody: it gets no code.
    Member screen(port(), keys.code, with_key(keys.screen_key));
    EXPECT_EQ(ask_rejoin_code(screen)["code"], "forbidden");
}

TEST(OnePerson, GuessingRejoinCodesIsThrottledLikeGuessingRoomCodes)
{
    Temp_dir dir;
    Server_process server(dir.path() / "guess.db", {"--code-tries", "3", "--code-tries-per-minute", "1"});
    auto keys = create_room(server.port());
    Member f(server.port(), keys.code, with_key(keys.facilitator_key));
    for (int i = 0; i < 3; ++i) {
        auto a = hello_answer(server.port(), hello_message(keys.code, {{"rejoin", "AAAAA-AAAA" + std::to_string(i + 2)}}));
        ASSERT_TRUE(a.message);
        EXPECT_EQ((*a.message)["code"], "unauthorized");
    }
    auto limited = hello_answer(server.port(), hello_message(keys.code, {{"rejoin", "AAAAA-AAAAA"}}));
    ASSERT_TRUE(limited.message);
    EXPECT_EQ((*limited.message)["code"], "rate_limited") << limited.message->dump();
    EXPECT_GT((*limited.message)["retry_after"].get<int>(), 0);
}

TEST(OnePerson, AnswersOfAMergedPersonCountOnceTowardTheQuestionnairesMinimum)
{
    auto keys = create_room(port());
    Member f(port(), keys.code, with_key(keys.facilitator_key));
    Member alice(port(), keys.code, as_participant("Alice"));
    Member again(port(), keys.code, as_participant("Alice"));
    Member bob(port(), keys.code, as_participant("Bob"));
    f.ok("ratings.open");
    for (Member* m : {&alice, &again, &bob})
        m->ok("rating.submit", {{"answers", {{"heard", 7}, {"useful", 8}, {"next_steps", 6}}}});
    f.ok("participant.merge", {{"from", again.you}, {"into", alice.you}});
    const auto closed = f.ok("ratings.close");
    f.catch_up(closed);
    // Three answers, but only two people behind them: nothing is published.
    EXPECT_EQ(f.state["ratings"]["results"], json({{"suppressed", true}, {"minimum", 3}})) << f.state["ratings"].dump();
    EXPECT_EQ(f.state["ratings"]["repeated"], 1);
    EXPECT_TRUE(f.state["participants"][alice.you]["rated"].get<bool>());
}
