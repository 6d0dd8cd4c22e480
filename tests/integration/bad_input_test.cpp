// docs/protocol.md §9.5, §1 and §3: bad input gets bad_request (or invalid, forbidden...) and the
// connection stays usable; a failed hello gets one error and the connection closes; a
// frame over 64 KiB closes with 1009; room codes are accepted in any case, with a dash.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>

#include "support/meeting.hpp"

using namespace keha::itest;

namespace {

json timeline_item(const std::string& text) { return {{"board", "timeline"}, {"column", "event"}, {"text", text}}; }

json expect_error(Member& m, const std::string& code, const json& id = nullptr)
{
    auto e = m.next();
    EXPECT_EQ(e.value("type", ""), "error") << e.dump();
    EXPECT_EQ(e.value("code", ""), code) << e.dump();
    EXPECT_EQ(e.value("id", json("missing")), id) << e.dump();
    EXPECT_TRUE(e.contains("message") && e["message"].is_string()) << e.dump();
    return e;
}

void expect_pong(Member& m)
{
    m.ws.send(R"({"type":"ping","t":1732350000000})");
    auto p = m.next();
    EXPECT_EQ(p["type"], "pong") << p.dump();
    EXPECT_EQ(p["t"], 1732350000000);
    EXPECT_TRUE(p["server_time"].is_number_integer());
}

struct Bad_input : ::testing::Test {
    std::uint16_t port = shared_server().port();
    Room_keys keys = create_room(port);
    Member m{port, keys.code, as_participant("Tester")};

    // Refused input consumed no seq and changed nothing: the next command takes the next seq.
    void expect_room_unchanged()
    {
        const auto before = m.seq;
        const json state = m.state;
        const auto seq = m.ok("hand.raise");
        EXPECT_EQ(seq, before + 1);
        json expected = state;
        expected["participants"][m.you]["hand"] = true;
        json now = m.state;
        // hand.raise also stamps hand_at; compare the rest.
        now["participants"][m.you].erase("hand_at");
        expected["participants"][m.you].erase("hand_at");
        EXPECT_EQ(now, expected);
    }
};

}  // namespace

TEST_F(Bad_input, NonJsonAndNonObjectsGetBadRequestAndTheConnectionStaysUsable)
{
    for (const char* text : {"not json", "{", "[1,2,3]", "\"hello\"", "42", "{}", R"({"type":5})", "null", ""}) {
        SCOPED_TRACE(text);
        m.ws.send(std::string(text));
        expect_error(m, "bad_request");
        expect_pong(m);
    }
    m.ws.send(R"({"type":"dance"})");
    expect_error(m, "bad_request");
    m.ws.send(hello_message(keys.code, as_participant("Again")));
    expect_error(m, "bad_request");
    expect_room_unchanged();
}

TEST_F(Bad_input, AnObjectWithADuplicateKeyIsBadRequestAtAnyDepth)
{
    m.ws.send(R"({"type":"do","id":"d1","cmd":"item.add","args":{"board":"timeline","column":"event","text":"a","text":"b"}})");
    expect_error(m, "bad_request");
    m.ws.send(R"({"type":"do","id":"d2","cmd":"hand.raise","cmd":"item.add","args":{}})");
    expect_error(m, "bad_request");
    m.ws.send(R"({"type":"ping","type":"ping"})");
    expect_error(m, "bad_request");
    expect_pong(m);
    expect_room_unchanged();
    EXPECT_TRUE(m.state["boards"]["timeline"]["items"].empty());
}

TEST_F(Bad_input, MissingFieldsAndWrongJsonTypesAreBadRequestWithTheCommandsId)
{
    m.ws.send(R"({"type":"do","id":"m1","args":{}})");
    expect_error(m, "bad_request", "m1");
    m.ws.send(R"({"type":"do","id":"m2","cmd":7})");
    expect_error(m, "bad_request", "m2");
    m.ws.send(R"({"type":"do","id":"m3","cmd":"item.add","args":[1]})");
    expect_error(m, "bad_request", "m3");
    m.ws.send(R"({"type":"do","id":"m4","cmd":"item.add","args":{"board":"timeline","column":"event"}})");
    expect_error(m, "bad_request", "m4");
    m.ws.send(R"({"type":"do","id":"m5","cmd":"item.add","args":{"board":"timeline","column":"event","text":5}})");
    expect_error(m, "bad_request", "m5");
    m.ws.send(R"({"type":"do","id":"m6","cmd":"item.add","args":{"board":"timeline","column":"event","text":"x","hidden":"yes"}})");
    expect_error(m, "bad_request", "m6");
    m.ws.send(R"({"type":"do","id":"m7","cmd":"hand.lower","args":{"pid":5}})");
    expect_error(m, "bad_request", "m7");
    m.ws.send(R"({"type":"do","id":"m8","cmd":"item.edit","args":{"board":["timeline"],"id":"i1"}})");
    expect_error(m, "bad_request", "m8");
    expect_pong(m);
    expect_room_unchanged();
}

TEST_F(Bad_input, AnUnknownCommandIsBadRequestAndAnUnknownArgumentOrValueIsInvalid)
{
    m.ws.send(do_message("u1", "item.explode", {}));
    expect_error(m, "bad_request", "u1");
    m.ws.send(do_message("u2", "item.add", {{"board", "timeline"}, {"column", "event"}, {"text", "x"}, {"colour", "red"}}));
    expect_error(m, "invalid", "u2");
    m.ws.send(do_message("u3", "hand.raise", {{"loudly", true}}));
    expect_error(m, "invalid", "u3");
    m.ws.send(do_message("u4", "item.add", {{"board", "timeline"}, {"column", "nowhere"}, {"text", "x"}}));
    expect_error(m, "invalid", "u4");
    m.ws.send(do_message("u5", "item.add", timeline_item(std::string(2001, 'x'))));
    expect_error(m, "invalid", "u5");
    m.ws.send(do_message("u6", "item.add", timeline_item("")));
    expect_error(m, "invalid", "u6");
    m.ws.send(do_message("u7", "item.add", {{"board", "plan"}, {"column", "action"}, {"text", "x"}, {"status", "maybe"}}));
    expect_error(m, "invalid", "u7");
    expect_room_unchanged();
    // The limits themselves are accepted: 2000 characters, counted as characters (ä is two bytes).
    m.ok("item.add", timeline_item(std::string(2000, 'x')));
    std::string umlauts;
    for (int i = 0; i < 2000; ++i) umlauts += "ä";
    m.ok("item.add", timeline_item(umlauts));
}

TEST_F(Bad_input, AFrameOver64KiBClosesTheConnectionWith1009AndOthersCarryOn)
{
    Member other(port, keys.code, as_participant("Bystander"));
    m.catch_up(other.seq);
    // Just under the limit: an ordinary refusal, the connection stays.
    m.ws.send(do_message("big", "item.add", timeline_item(std::string(60 * 1024, 'x'))));
    expect_error(m, "invalid", "big");
    expect_pong(m);

    m.ws.send(do_message("huge", "item.add", timeline_item(std::string(70 * 1024, 'x'))));
    EXPECT_TRUE(m.ws.wait_closed(5s));
    EXPECT_EQ(m.ws.close_code(), 1009) << m.ws.end_reason();
    for (auto msg = m.ws.recv(50ms); msg; msg = m.ws.recv(50ms))
        EXPECT_NE((*msg)["type"], "ack") << msg->dump();
    other.ok("item.add", timeline_item("still fine"));
}

TEST_F(Bad_input, AHelloForAnUnknownRoomGetsUnknownRoomAndTheConnectionCloses)
{
    for (const char* code : {"XXXXXX", "ABC", "not a code at all", "ÄÄÄÄÄÄ"}) {
        SCOPED_TRACE(code);
        auto a = hello_answer(port, hello_message(code, as_participant("Lost")));
        ASSERT_TRUE(a.message);
        EXPECT_EQ((*a.message)["type"], "error");
        EXPECT_EQ((*a.message)["code"], "unknown_room");
        EXPECT_TRUE(a.closed);
    }
    auto a = hello_answer(port, R"({"type":"hello","room":42,"name":"x","group":"other"})"_json);
    ASSERT_TRUE(a.message);
    EXPECT_EQ((*a.message)["type"], "error");
    EXPECT_TRUE(a.closed);
}

TEST_F(Bad_input, AnythingButHelloFirstGetsAnErrorAndTheConnectionCloses)
{
    for (const json& first : {do_message("x1", "hand.raise"), json{{"type", "welcome"}}, json{{"type", "dance"}}}) {
        SCOPED_TRACE(first.dump());
        auto a = hello_answer(port, first);
        ASSERT_TRUE(a.message);
        EXPECT_EQ((*a.message)["type"], "error");
        EXPECT_TRUE(a.closed);
    }
    Ws_client raw(port);
    raw.send(std::string("not json"));
    auto e = raw.recv();
    ASSERT_TRUE(e);
    EXPECT_EQ((*e)["code"], "bad_request");
    EXPECT_TRUE(raw.wait_closed(3s));
}

TEST_F(Bad_input, AHelloWithBadFieldsGetsOneErrorAndTheConnectionCloses)
{
    const std::vector<std::pair<json, std::string>> cases = {
        {{{"group", "professional"}}, "bad_request"},                       // no name
        {{{"name", "Nameless group"}}, "bad_request"},                      // no group
        {{{"name", 5}, {"group", "other"}}, "bad_request"},                 // wrong type
        {{{"name", ""}, {"group", "other"}}, "invalid"},
        {{{"name", std::string(61, 'n')}, {"group", "other"}}, "invalid"},
        {{{"name", "Groupie"}, {"group", "band"}}, "invalid"},
        {{{"key", "wrong-key"}}, "unauthorized"},
        {{{"token", "wrong-token"}}, "unauthorized"},
        {{{"token", 7}}, "bad_request"},
        {{{"name", "x"}, {"group", "other"}, {"since", -1}}, "bad_request"},
    };
    for (const auto& [fields, code] : cases) {
        SCOPED_TRACE(fields.dump());
        auto a = hello_answer(port, hello_message(keys.code, fields));
        ASSERT_TRUE(a.message);
        EXPECT_EQ((*a.message)["type"], "error");
        EXPECT_EQ((*a.message)["code"], code);
        EXPECT_TRUE(a.closed);
    }
    m.settle(100ms);
    expect_room_unchanged();
}

TEST_F(Bad_input, AScreenKeyMembersCommandsAreForbiddenButItMayPing)
{
    Member screen(port, keys.code, with_key(keys.screen_key));
    EXPECT_EQ(screen.role, "screen");
    m.catch_up(screen.seq);
    for (const char* cmd : {"item.add", "hand.raise", "participant.rename", "phase.goto"}) {
        screen.ws.send(do_message(std::string("s-") + cmd, cmd,
                                  std::string(cmd) == "item.add" ? timeline_item("x") : json::object()));
        expect_error(screen, "forbidden", std::string("s-") + cmd);
    }
    expect_pong(screen);
    expect_room_unchanged();
}

TEST_F(Bad_input, RoomCodesAreAcceptedInLowerCaseAndWithADash)
{
    std::string lower = keys.code;
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    const std::size_t half = keys.code.size() / 2;
    const std::string dashed = lower.substr(0, half) + "-" + lower.substr(half);
    const std::string upper_dashed = keys.code.substr(0, half) + "-" + keys.code.substr(half);
    for (const auto& code : {lower, dashed, upper_dashed}) {
        SCOPED_TRACE(code);
        Member x(port, code, as_participant("Case " + code));
        EXPECT_EQ(x.state["room"]["code"], keys.code);
        x.ok("hand.raise");
        m.catch_up(x.seq);
    }
}
