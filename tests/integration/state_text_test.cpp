// The room's state text (server/state_text.hpp), on the server's own class: what a welcome
// copies is, after every change the reducer makes, the state's own JSON text — while only the
// top-level keys a patch touched are written again.
#include <gtest/gtest.h>

#include "random_room.hpp"
#include "state_text.hpp"

namespace keha::server {
namespace {

TEST(StateText, IsTheStatesOwnTextAfterEveryCommandOfRandomRooms)
{
    for (unsigned seed = 1; seed <= 12; ++seed) {
        test::Random_room random(seed);
        State_text text;
        ASSERT_EQ(text.whole(random.room.state), dump_text(random.room.state));
        for (int i = 0; i < 400; ++i) {
            const test::Step step = random.step();
            if (step.accepted) text.changed(step.patch);
            ASSERT_EQ(text.whole(random.room.state), dump_text(random.room.state))
                << "seed " << seed << ", step " << i << ": " << step.cmd;
        }
    }
}

TEST(StateText, WritesAgainOnlyTheKeysAPatchTouched)
{
    json state = {{"boards", {{"plan", {{"items", {{"i1", {{"text", "eka"}}}}}}}}},
                  {"participants", {{"p1", {{"name", "Aino"}}}}},
                  {"a/b", 1}};
    State_text text;
    const std::string before = text.whole(state);
    // A change nobody told about is not seen: the boards' text was kept, not written again.
    state["boards"]["plan"]["items"]["i1"]["text"] = "toka";
    EXPECT_EQ(text.whole(state), before);
    // A patch under another key leaves it kept too; one under "boards" writes it again.
    text.changed(json::parse(R"([{"op":"replace","path":"/participants/p1/name","value":"Aino"}])"));
    EXPECT_EQ(text.whole(state), before);
    text.changed(json::parse(R"([{"op":"replace","path":"/boards/plan/items/i1/text","value":"toka"}])"));
    EXPECT_EQ(text.whole(state), dump_text(state));
    // An escaped key, a move's "from", and the whole document.
    state["a/b"] = 2;
    text.changed(json::parse(R"([{"op":"replace","path":"/a~1b","value":2}])"));
    EXPECT_EQ(text.whole(state), dump_text(state));
    state["participants"]["p1"]["name"] = "Bertil";
    text.changed(json::parse(R"([{"op":"move","from":"/participants/p1/name","path":"/boards/x"}])"));
    EXPECT_EQ(text.whole(state), dump_text(state));
    state = {{"room", {{"title", "uusi"}}}};
    text.changed(json::parse(R"([{"op":"replace","path":"","value":{"room":{"title":"uusi"}}}])"));
    EXPECT_EQ(text.whole(state), dump_text(state));
}

}  // namespace
}  // namespace keha::server
