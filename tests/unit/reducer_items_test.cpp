// The item commands of the reducer: item.add/edit/move/delete/vote/reveal.
#include <gtest/gtest.h>

#include "helpers.hpp"
#include "keha/erase.hpp"
#include "keha/text.hpp"

namespace keha::test {
namespace {

const std::string ae = "ä";         // two bytes, one code point
const std::string emoji = "😀";     // four bytes, one code point

class ReducerItems : public Four_people {
protected:
    std::string add_event(const Actor& who, const std::string& text = "Kick-off", json extra = json::object())
    {
        return room.add(who, "timeline", "event", text, std::move(extra));
    }
};

// ---------------------------------------------------------------- item.add

TEST_F(ReducerItems, AddCreatesItemWithIdFromSeqAndOnePatchOp)
{
    room.now_ms = 1'795'000'123'456;
    auto patch = room.ok(a(), "item.add", {{"board", "timeline"}, {"column", "event"}, {"text", "Hanke alkoi"},
                                           {"when", "2021-09"}, {"sector", "school"}});
    const std::string id = "i" + std::to_string(room.seq);
    json expected_item = {{"id", id},           {"column", "event"},   {"text", "Hanke alkoi"},
                          {"author", a_id},     {"created_at", iso8601_utc(room.now_ms)},
                          {"order", 1.0},       {"votes", 0},          {"voters", json::array()},
                          {"hidden", false},    {"when", "2021-09"},   {"sector", "school"}};
    ASSERT_EQ(patch.size(), 1u);
    EXPECT_EQ(patch[0], (json{{"op", "add"}, {"path", "/boards/timeline/items/" + id}, {"value", expected_item}}));
    EXPECT_EQ(room.item("timeline", id), expected_item);
}

TEST_F(ReducerItems, ItemIdsFollowTheSeqOfTheCommand)
{
    Context ctx{41, 0};
    auto r = apply(room.state, a(), Command{"item.add", {{"board", "vision"}, {"column", "vision"}, {"text", "x"}}}, ctx);
    ASSERT_TRUE(std::holds_alternative<json>(r));
    EXPECT_TRUE(room.state["boards"]["vision"]["items"].contains("i41"));
    EXPECT_EQ(room.state["boards"]["vision"]["items"]["i41"]["id"], "i41");
}

TEST_F(ReducerItems, AddOrdersAfterTheLastItemOfTheSameColumn)
{
    auto v1 = room.add(a(), "vision", "vision", "one");
    auto v2 = room.add(b(), "vision", "vision", "two");
    auto h1 = room.add(b(), "vision", "hinders", "first hinder");
    EXPECT_EQ(room.item("vision", v1)["order"], 1.0);
    EXPECT_EQ(room.item("vision", v2)["order"], 2.0);
    EXPECT_EQ(room.item("vision", h1)["order"], 1.0);
    room.ok(fac(), "item.move", {{"board", "vision"}, {"id", v2}, {"order", 7.5}});
    auto v3 = room.add(a(), "vision", "vision", "three");
    EXPECT_EQ(room.item("vision", v3)["order"], 8.0);
}

TEST_F(ReducerItems, AddToPlanDefaultsStatusToProposed)
{
    auto id = room.add(a(), "plan", "action", "Monthly meeting", {{"who", "Aino"}, {"with", "Bertil"}, {"due", "2027-01"}});
    const auto& item = room.item("plan", id);
    EXPECT_EQ(item["status"], "proposed");
    EXPECT_EQ(item["who"], "Aino");
    EXPECT_EQ(item["with"], "Bertil");
    EXPECT_EQ(item["due"], "2027-01");
    auto id2 = room.add(a(), "plan", "action", "Agreed one", {{"status", "agreed"}});
    EXPECT_EQ(room.item("plan", id2)["status"], "agreed");
}

TEST_F(ReducerItems, AddAcceptsEveryBoardAndColumn)
{
    const std::pair<const char*, const char*> places[] = {{"timeline", "event"},  {"vision", "vision"},
                                                          {"vision", "hinders"},  {"vision", "enables"},
                                                          {"plan", "action"},     {"reflections", "reflection"}};
    for (auto [board, column] : places) {
        auto id = room.add(a(), board, column, "text");
        EXPECT_EQ(room.item(board, id)["column"], column);
    }
    auto r = room.add(a(), "reflections", "reflection", "I heard", {{"turn", "round 1"}});
    EXPECT_EQ(room.item("reflections", r)["turn"], "round 1");
}

TEST_F(ReducerItems, AddHiddenItemKeepsHiddenFlag)
{
    auto id = room.add(a(), "vision", "hinders", "secret", {{"hidden", true}});
    EXPECT_EQ(room.item("vision", id)["hidden"], true);
}

TEST_F(ReducerItems, AddByFacilitatorIsAllowed)
{
    auto id = room.add(fac(), "timeline", "event", "by facilitator");
    EXPECT_EQ(room.item("timeline", id)["author"], fac_id);
}

TEST_F(ReducerItems, AddByScreenIsForbidden)
{
    room.fails(Error_code::forbidden, screen(), "item.add", {{"board", "timeline"}, {"column", "event"}, {"text", "x"}});
}

TEST_F(ReducerItems, AddByServerIsForbidden)
{
    room.fails(Error_code::forbidden, Room::server, "item.add", {{"board", "timeline"}, {"column", "event"}, {"text", "x"}});
}

TEST_F(ReducerItems, AddWithMissingFieldIsBadRequest)
{
    room.fails(Error_code::bad_request, a(), "item.add", {{"column", "event"}, {"text", "x"}});
    room.fails(Error_code::bad_request, a(), "item.add", {{"board", "timeline"}, {"text", "x"}});
    room.fails(Error_code::bad_request, a(), "item.add", {{"board", "timeline"}, {"column", "event"}});
}

TEST_F(ReducerItems, AddWithWrongJsonTypeIsBadRequest)
{
    room.fails(Error_code::bad_request, a(), "item.add", {{"board", 3}, {"column", "event"}, {"text", "x"}});
    room.fails(Error_code::bad_request, a(), "item.add", {{"board", "timeline"}, {"column", json::array()}, {"text", "x"}});
    room.fails(Error_code::bad_request, a(), "item.add", {{"board", "timeline"}, {"column", "event"}, {"text", 42}});
    room.fails(Error_code::bad_request, a(), "item.add", {{"board", "timeline"}, {"column", "event"}, {"text", nullptr}});
    room.fails(Error_code::bad_request, a(), "item.add",
               {{"board", "timeline"}, {"column", "event"}, {"text", "x"}, {"hidden", "yes"}});
    room.fails(Error_code::bad_request, a(), "item.add",
               {{"board", "timeline"}, {"column", "event"}, {"text", "x"}, {"when", 2021}});
}

TEST_F(ReducerItems, AddWithNonObjectArgsIsBadRequest)
{
    for (const json& args : {json::array({"timeline"}), json("timeline"), json(nullptr), json(1)})
        room.fails(Error_code::bad_request, a(), "item.add", args);
}

TEST_F(ReducerItems, AddToUnknownBoardIsInvalid)
{
    room.fails(Error_code::invalid, a(), "item.add", {{"board", "whiteboard"}, {"column", "event"}, {"text", "x"}});
}

TEST_F(ReducerItems, AddToUnknownColumnIsInvalid)
{
    room.fails(Error_code::invalid, a(), "item.add", {{"board", "timeline"}, {"column", "vision"}, {"text", "x"}});
    room.fails(Error_code::invalid, a(), "item.add", {{"board", "vision"}, {"column", "event"}, {"text", "x"}});
}

TEST_F(ReducerItems, AddWithUnknownArgumentIsInvalid)
{
    room.fails(Error_code::invalid, a(), "item.add",
               {{"board", "timeline"}, {"column", "event"}, {"text", "x"}, {"colour", "red"}});
    // A field of another board is unknown here.
    room.fails(Error_code::invalid, a(), "item.add", {{"board", "timeline"}, {"column", "event"}, {"text", "x"}, {"who", "me"}});
    room.fails(Error_code::invalid, a(), "item.add", {{"board", "vision"}, {"column", "vision"}, {"text", "x"}, {"when", "2020"}});
    // The server fills these in; a client may not.
    for (const char* field : {"id", "author", "votes", "order", "created_at", "voters"})
        room.fails(Error_code::invalid, a(), "item.add",
                   {{"board", "timeline"}, {"column", "event"}, {"text", "x"}, {field, "p1"}});
}

TEST_F(ReducerItems, AddWithUnknownStatusIsInvalid)
{
    room.fails(Error_code::invalid, a(), "item.add", {{"board", "plan"}, {"column", "action"}, {"text", "x"}, {"status", "maybe"}});
}

TEST_F(ReducerItems, TextLengthIsCountedInCodePoints)
{
    for (const std::string& ch : {std::string("a"), ae, emoji}) {
        SCOPED_TRACE(ch);
        room.add(a(), "vision", "vision", repeat(ch, 1));
        room.add(a(), "vision", "vision", repeat(ch, 2000));
        room.fails(Error_code::invalid, a(), "item.add", {{"board", "vision"}, {"column", "vision"}, {"text", repeat(ch, 2001)}});
    }
    room.fails(Error_code::invalid, a(), "item.add", {{"board", "vision"}, {"column", "vision"}, {"text", ""}});
}

TEST_F(ReducerItems, BoardFieldLengthIsZeroTo200CodePoints)
{
    for (const std::string& ch : {std::string("a"), ae, emoji}) {
        SCOPED_TRACE(ch);
        room.add(a(), "timeline", "event", "x", {{"when", ""}, {"sector", repeat(ch, 200)}});
        room.fails(Error_code::invalid, a(), "item.add",
                   {{"board", "timeline"}, {"column", "event"}, {"text", "x"}, {"sector", repeat(ch, 201)}});
        room.fails(Error_code::invalid, a(), "item.add",
                   {{"board", "plan"}, {"column", "action"}, {"text", "x"}, {"who", repeat(ch, 201)}});
    }
}

TEST_F(ReducerItems, TextThatIsNotUtf8IsInvalid)
{
    room.fails(Error_code::invalid, a(), "item.add", {{"board", "vision"}, {"column", "vision"}, {"text", "\xC3"}});
}

TEST_F(ReducerItems, UnknownCommandIsBadRequest)
{
    room.fails(Error_code::bad_request, a(), "item.explode", {{"board", "vision"}});
    room.fails(Error_code::bad_request, fac(), "", json::object());
    room.fails(Error_code::bad_request, Room::server, "ITEM.ADD", json::object());
}

// ---------------------------------------------------------------- item.edit

TEST_F(ReducerItems, EditByAuthorReplacesText)
{
    auto id = add_event(a());
    auto patch = room.ok(a(), "item.edit", {{"board", "timeline"}, {"id", id}, {"text", "Hanke käynnistyi"}});
    EXPECT_EQ(patch, json::parse(R"([{"op":"replace","path":"/boards/timeline/items/)" + id +
                                 R"(/text","value":"Hanke käynnistyi"}])"));
    EXPECT_EQ(room.item("timeline", id)["text"], "Hanke käynnistyi");
}

TEST_F(ReducerItems, EditAddsAndReplacesBoardFields)
{
    auto id = add_event(a(), "x", {{"when", "2020"}});
    auto patch = room.ok(a(), "item.edit", {{"board", "timeline"}, {"id", id}, {"when", "2021"}, {"sector", "health"}});
    ASSERT_EQ(patch.size(), 2u);
    EXPECT_EQ(room.item("timeline", id)["when"], "2021");
    EXPECT_EQ(room.item("timeline", id)["sector"], "health");
    auto pid = room.add(a(), "plan", "action", "do it");
    room.ok(a(), "item.edit", {{"board", "plan"}, {"id", pid}, {"status", "done"}, {"due", "2027-02-01"}});
    EXPECT_EQ(room.item("plan", pid)["status"], "done");
    EXPECT_EQ(room.item("plan", pid)["due"], "2027-02-01");
}

TEST_F(ReducerItems, EditByFacilitatorOfAnothersItemIsAllowed)
{
    auto id = add_event(a());
    room.ok(fac(), "item.edit", {{"board", "timeline"}, {"id", id}, {"text", "fixed typo"}});
    EXPECT_EQ(room.item("timeline", id)["text"], "fixed typo");
    EXPECT_EQ(room.item("timeline", id)["author"], a_id);
}

TEST_F(ReducerItems, EditByNonAuthorIsForbidden)
{
    auto id = add_event(a());
    room.fails(Error_code::forbidden, b(), "item.edit", {{"board", "timeline"}, {"id", id}, {"text", "mine now"}});
}

TEST_F(ReducerItems, EditByScreenIsForbidden)
{
    auto id = add_event(a());
    room.fails(Error_code::forbidden, screen(), "item.edit", {{"board", "timeline"}, {"id", id}, {"text", "y"}});
}

TEST_F(ReducerItems, EditOfMissingItemIsNotFound)
{
    add_event(a());
    room.fails(Error_code::not_found, a(), "item.edit", {{"board", "timeline"}, {"id", "i999"}, {"text", "y"}});
    auto id = add_event(a());
    // The id exists, but on another board.
    room.fails(Error_code::not_found, a(), "item.edit", {{"board", "vision"}, {"id", id}, {"text", "y"}});
}

TEST_F(ReducerItems, EditWithBadArgumentsFails)
{
    auto id = add_event(a());
    room.fails(Error_code::bad_request, a(), "item.edit", {{"board", "timeline"}, {"text", "y"}});
    room.fails(Error_code::bad_request, a(), "item.edit", {{"id", id}, {"text", "y"}});
    room.fails(Error_code::bad_request, a(), "item.edit", {{"board", "timeline"}, {"id", 9}, {"text", "y"}});
    room.fails(Error_code::bad_request, a(), "item.edit", {{"board", "timeline"}, {"id", id}, {"text", true}});
    room.fails(Error_code::invalid, a(), "item.edit", {{"board", "nope"}, {"id", id}, {"text", "y"}});
    room.fails(Error_code::invalid, a(), "item.edit", {{"board", "timeline"}, {"id", id}, {"text", ""}});
    room.fails(Error_code::invalid, a(), "item.edit", {{"board", "timeline"}, {"id", id}, {"text", repeat(emoji, 2001)}});
    room.fails(Error_code::invalid, a(), "item.edit", {{"board", "timeline"}, {"id", id}, {"when", repeat(ae, 201)}});
    room.fails(Error_code::invalid, a(), "item.edit", {{"board", "timeline"}, {"id", id}, {"column", "event"}});
    room.fails(Error_code::invalid, a(), "item.edit", {{"board", "timeline"}, {"id", id}, {"hidden", false}});
    room.fails(Error_code::invalid, a(), "item.edit", {{"board", "timeline"}, {"id", id}, {"who", "x"}});
    auto pid = room.add(a(), "plan", "action", "p");
    room.fails(Error_code::invalid, a(), "item.edit", {{"board", "plan"}, {"id", pid}, {"status", "later"}});
    room.ok(a(), "item.edit", {{"board", "timeline"}, {"id", id}, {"text", repeat(emoji, 2000)}});
}

TEST_F(ReducerItems, EditThatChangesNothingGivesEmptyPatch)
{
    auto id = add_event(a(), "same", {{"when", "2020"}});
    const auto before = room.state.dump();
    EXPECT_EQ(room.ok(a(), "item.edit", {{"board", "timeline"}, {"id", id}, {"text", "same"}, {"when", "2020"}}), json::array());
    EXPECT_EQ(room.ok(a(), "item.edit", {{"board", "timeline"}, {"id", id}}), json::array());
    EXPECT_EQ(room.state.dump(), before);
}

// ---------------------------------------------------------------- item.move

TEST_F(ReducerItems, MoveChangesColumnAndOrder)
{
    auto id = room.add(a(), "vision", "vision", "x");
    auto patch = room.ok(a(), "item.move", {{"board", "vision"}, {"id", id}, {"column", "enables"}, {"order", 0.5}});
    EXPECT_EQ(patch, json::parse(R"([{"op":"replace","path":"/boards/vision/items/)" + id +
                                 R"(/column","value":"enables"},{"op":"replace","path":"/boards/vision/items/)" + id +
                                 R"(/order","value":0.5}])"));
    EXPECT_EQ(room.item("vision", id)["column"], "enables");
    EXPECT_EQ(room.item("vision", id)["order"], 0.5);
    room.ok(fac(), "item.move", {{"board", "vision"}, {"id", id}, {"order", -3}});
    EXPECT_EQ(room.item("vision", id)["order"], -3.0);
}

TEST_F(ReducerItems, MoveToSamePlaceGivesEmptyPatch)
{
    auto id = room.add(a(), "vision", "vision", "x");
    EXPECT_EQ(room.ok(a(), "item.move", {{"board", "vision"}, {"id", id}, {"column", "vision"}, {"order", 1.0}}), json::array());
    EXPECT_EQ(room.ok(a(), "item.move", {{"board", "vision"}, {"id", id}}), json::array());
}

TEST_F(ReducerItems, MoveErrors)
{
    auto id = room.add(a(), "vision", "vision", "x");
    room.fails(Error_code::forbidden, b(), "item.move", {{"board", "vision"}, {"id", id}, {"column", "hinders"}});
    room.fails(Error_code::forbidden, screen(), "item.move", {{"board", "vision"}, {"id", id}, {"column", "hinders"}});
    room.fails(Error_code::not_found, a(), "item.move", {{"board", "vision"}, {"id", "i404"}, {"column", "hinders"}});
    room.fails(Error_code::invalid, a(), "item.move", {{"board", "vision"}, {"id", id}, {"column", "event"}});
    room.fails(Error_code::invalid, a(), "item.move", {{"board", "vision"}, {"id", id}, {"text", "x"}});
    room.fails(Error_code::invalid, a(), "item.move", {{"board", "vision"}, {"id", id}, {"board_to", "plan"}});
    room.fails(Error_code::invalid, a(), "item.move", {{"board", "mural"}, {"id", id}});
    room.fails(Error_code::bad_request, a(), "item.move", {{"board", "vision"}, {"id", id}, {"order", "first"}});
    room.fails(Error_code::bad_request, a(), "item.move", {{"board", "vision"}, {"id", id}, {"column", 2}});
    room.fails(Error_code::bad_request, a(), "item.move", {{"board", "vision"}, {"column", "hinders"}});
    // The column is checked before anything changes, even when the order is fine.
    room.fails(Error_code::invalid, a(), "item.move", {{"board", "vision"}, {"id", id}, {"column", "nowhere"}, {"order", 9}});
}

// ---------------------------------------------------------------- item.delete

TEST_F(ReducerItems, DeleteByAuthorRemovesItem)
{
    auto id = add_event(a());
    auto patch = room.ok(a(), "item.delete", {{"board", "timeline"}, {"id", id}});
    EXPECT_EQ(patch, json::parse(R"([{"op":"remove","path":"/boards/timeline/items/)" + id + R"("}])"));
    EXPECT_FALSE(room.state["boards"]["timeline"]["items"].contains(id));
}

TEST_F(ReducerItems, DeleteByFacilitatorOfAnothersItemIsAllowed)
{
    auto id = add_event(a());
    room.ok(fac(), "item.delete", {{"board", "timeline"}, {"id", id}});
    EXPECT_TRUE(room.state["boards"]["timeline"]["items"].empty());
}

TEST_F(ReducerItems, DeleteErrors)
{
    auto id = add_event(a());
    room.fails(Error_code::forbidden, b(), "item.delete", {{"board", "timeline"}, {"id", id}});
    room.fails(Error_code::forbidden, screen(), "item.delete", {{"board", "timeline"}, {"id", id}});
    room.fails(Error_code::forbidden, Room::server, "item.delete", {{"board", "timeline"}, {"id", id}});
    room.fails(Error_code::not_found, a(), "item.delete", {{"board", "plan"}, {"id", id}});
    room.fails(Error_code::bad_request, a(), "item.delete", {{"board", "timeline"}});
    room.fails(Error_code::invalid, a(), "item.delete", {{"board", "timeline"}, {"id", id}, {"force", true}});
    room.ok(a(), "item.delete", {{"board", "timeline"}, {"id", id}});
    room.fails(Error_code::not_found, a(), "item.delete", {{"board", "timeline"}, {"id", id}});
}

TEST_F(ReducerItems, DeleteWithEraseIsTheFacilitatorsCall)
{
    auto id = add_event(a());
    room.fails(Error_code::forbidden, a(), "item.delete", {{"board", "timeline"}, {"id", id}, {"erase", true}});
    room.fails(Error_code::bad_request, fac(), "item.delete", {{"board", "timeline"}, {"id", id}, {"erase", "yes"}});
    EXPECT_TRUE(room.state["boards"]["timeline"]["items"].contains(id));
    room.ok(a(), "item.delete", {{"board", "timeline"}, {"id", id}, {"erase", false}});
    auto other = add_event(a());
    // The patch is the same as a plain delete: the erasure happens in the store (keha/erase.hpp).
    auto patch = room.ok(fac(), "item.delete", {{"board", "timeline"}, {"id", other}, {"erase", true}});
    EXPECT_EQ(patch, json::parse(R"([{"op":"remove","path":"/boards/timeline/items/)" + other + R"("}])"));
}

TEST_F(ReducerItems, EraseBlanksTheItemsWordsInPatchesAndStates)
{
    auto id = room.add(a(), "plan", "action", "Soita 131052-308T");
    const std::string path = "/boards/plan/items/" + id;
    json add = json::array({{{"op", "add"}, {"path", path}, {"value", room.state["boards"]["plan"]["items"][id]}}});
    add[0]["value"]["who"] = "Maija";
    json edit = json::array({{{"op", "replace"}, {"path", path + "/text"}, {"value", "Soita 131052-308T nyt"}},
                             {{"op", "replace"}, {"path", path + "/status"}, {"value", "agreed"}},
                             {{"op", "replace"}, {"path", "/boards/plan/items/i999/text"}, {"value", "muu"}}});
    json boards = json::array({{{"op", "replace"}, {"path", "/boards"}, {"value", room.state["boards"]}}});
    EXPECT_TRUE(keha::erase_item_in_patch(add, "plan", id));
    EXPECT_EQ(add[0]["value"]["text"], "");
    EXPECT_EQ(add[0]["value"]["who"], "");
    EXPECT_EQ(add[0]["value"]["status"], "proposed") << "a fixed value is no one's words";
    EXPECT_EQ(add[0]["value"]["erased"], true);
    EXPECT_TRUE(keha::erase_item_in_patch(edit, "plan", id));
    EXPECT_EQ(edit[0]["value"], "");
    EXPECT_EQ(edit[1]["value"], "agreed");
    EXPECT_EQ(edit[2]["value"], "muu") << "another item stays";
    EXPECT_TRUE(keha::erase_item_in_patch(boards, "plan", id));
    EXPECT_EQ(boards[0]["value"]["plan"]["items"][id]["text"], "");
    json unrelated = json::array({{{"op", "replace"}, {"path", "/phase"}, {"value", "vision"}}});
    EXPECT_FALSE(keha::erase_item_in_patch(unrelated, "plan", id));

    json state = room.state;
    EXPECT_TRUE(keha::erase_item_in_state(state, "plan", id));
    EXPECT_EQ(state["boards"]["plan"]["items"][id]["text"], "");
    EXPECT_FALSE(keha::erase_item_in_state(state, "plan", "i999"));
    EXPECT_FALSE(state["boards"]["plan"]["items"].contains("i999"));
}

// ---------------------------------------------------------------- item.vote

TEST_F(ReducerItems, VoteTogglesTheCallersVote)
{
    auto id = room.add(a(), "vision", "vision", "x");
    const std::string path = "/boards/vision/items/" + id;
    auto p1 = room.ok(b(), "item.vote", {{"board", "vision"}, {"id", id}});
    EXPECT_EQ(p1, (json{{{"op", "add"}, {"path", path + "/voters/-"}, {"value", b_id}},
                        {{"op", "replace"}, {"path", path + "/votes"}, {"value", 1}}}));
    room.ok(fac(), "item.vote", {{"board", "vision"}, {"id", id}});
    room.ok(a(), "item.vote", {{"board", "vision"}, {"id", id}});
    EXPECT_EQ(room.item("vision", id)["votes"], 3);
    EXPECT_EQ(room.item("vision", id)["voters"], (json{b_id, fac_id, a_id}));
    // Voting again takes the vote back.
    auto p2 = room.ok(fac(), "item.vote", {{"board", "vision"}, {"id", id}});
    EXPECT_EQ(p2, (json{{{"op", "remove"}, {"path", path + "/voters/1"}},
                        {{"op", "replace"}, {"path", path + "/votes"}, {"value", 2}}}));
    EXPECT_EQ(room.item("vision", id)["voters"], (json{b_id, a_id}));
    EXPECT_EQ(room.item("vision", id)["votes"], 2);
}

TEST_F(ReducerItems, VoteErrors)
{
    auto id = room.add(a(), "vision", "vision", "x");
    room.fails(Error_code::forbidden, screen(), "item.vote", {{"board", "vision"}, {"id", id}});
    room.fails(Error_code::forbidden, Room::server, "item.vote", {{"board", "vision"}, {"id", id}});
    room.fails(Error_code::not_found, b(), "item.vote", {{"board", "vision"}, {"id", "i77"}});
    room.fails(Error_code::not_found, b(), "item.vote", {{"board", "plan"}, {"id", id}});
    room.fails(Error_code::bad_request, b(), "item.vote", {{"board", "vision"}});
    room.fails(Error_code::bad_request, b(), "item.vote", {{"id", id}});
    room.fails(Error_code::invalid, b(), "item.vote", {{"board", "vision"}, {"id", id}, {"up", true}});
    room.fails(Error_code::invalid, b(), "item.vote", {{"board", "kanban"}, {"id", id}});
}

TEST_F(ReducerItems, VoteOnAnothersHiddenItemIsForbidden)
{
    auto id = room.add(a(), "vision", "vision", "x", {{"hidden", true}});
    room.fails(Error_code::forbidden, b(), "item.vote", {{"board", "vision"}, {"id", id}});
    room.ok(a(), "item.vote", {{"board", "vision"}, {"id", id}});
    room.ok(fac(), "item.vote", {{"board", "vision"}, {"id", id}});
    EXPECT_EQ(room.item("vision", id)["votes"], 2);
}

// ---------------------------------------------------------------- item.reveal

// The whole item is put with "add" (which replaces an existing member), so members who
// saw it redacted receive its text and fields.
TEST_F(ReducerItems, RevealByAuthorPutsTheWholeItem)
{
    auto id = room.add(a(), "timeline", "event", "secret", {{"hidden", true}, {"when", "2020"}});
    json expected = room.item("timeline", id);
    expected["hidden"] = false;
    auto patch = room.ok(a(), "item.reveal", {{"board", "timeline"}, {"id", id}});
    EXPECT_EQ(patch, (json{{{"op", "add"}, {"path", "/boards/timeline/items/" + id}, {"value", expected}}}));
    EXPECT_EQ(room.item("timeline", id)["hidden"], false);
}

TEST_F(ReducerItems, RevealByFacilitatorOfOneItem)
{
    auto id = room.add(a(), "timeline", "event", "secret", {{"hidden", true}});
    room.ok(fac(), "item.reveal", {{"board", "timeline"}, {"id", id}});
    EXPECT_EQ(room.item("timeline", id)["hidden"], false);
}

TEST_F(ReducerItems, RevealOfVisibleItemGivesEmptyPatch)
{
    auto id = room.add(a(), "timeline", "event", "open");
    EXPECT_EQ(room.ok(a(), "item.reveal", {{"board", "timeline"}, {"id", id}}), json::array());
    EXPECT_EQ(room.ok(a(), "item.reveal", {{"board", "vision"}}), json::array());
}

TEST_F(ReducerItems, RevealWithoutIdRevealsAllTheCallersHiddenItemsOnThatBoard)
{
    auto a1 = room.add(a(), "vision", "vision", "a1", {{"hidden", true}});
    auto a2 = room.add(a(), "vision", "hinders", "a2", {{"hidden", true}});
    auto b1 = room.add(b(), "vision", "vision", "b1", {{"hidden", true}});
    auto a3 = room.add(a(), "plan", "action", "a3", {{"hidden", true}});
    auto patch = room.ok(a(), "item.reveal", {{"board", "vision"}});
    EXPECT_EQ(patch.size(), 2u);
    for (const auto& op : patch) {
        EXPECT_EQ(op["op"], "add");
        EXPECT_EQ(op["value"]["hidden"], false);
        EXPECT_TRUE(op["value"].contains("text"));
    }
    EXPECT_EQ(room.item("vision", a1)["hidden"], false);
    EXPECT_EQ(room.item("vision", a2)["hidden"], false);
    EXPECT_EQ(room.item("vision", b1)["hidden"], true);
    EXPECT_EQ(room.item("plan", a3)["hidden"], true);
}

TEST_F(ReducerItems, RevealWithoutIdByFacilitatorRevealsEveryHiddenItemOnThatBoard)
{
    auto a1 = room.add(a(), "vision", "vision", "a1", {{"hidden", true}});
    auto b1 = room.add(b(), "vision", "enables", "b1", {{"hidden", true}});
    auto a3 = room.add(a(), "plan", "action", "a3", {{"hidden", true}});
    auto patch = room.ok(fac(), "item.reveal", {{"board", "vision"}});
    EXPECT_EQ(patch.size(), 2u);
    EXPECT_EQ(room.item("vision", a1)["hidden"], false);
    EXPECT_EQ(room.item("vision", b1)["hidden"], false);
    EXPECT_EQ(room.item("plan", a3)["hidden"], true);
}

TEST_F(ReducerItems, RevealErrors)
{
    auto id = room.add(a(), "vision", "vision", "x", {{"hidden", true}});
    room.fails(Error_code::forbidden, b(), "item.reveal", {{"board", "vision"}, {"id", id}});
    room.fails(Error_code::forbidden, screen(), "item.reveal", {{"board", "vision"}});
    room.fails(Error_code::not_found, a(), "item.reveal", {{"board", "vision"}, {"id", "i1234"}});
    room.fails(Error_code::bad_request, a(), "item.reveal", json::object());
    room.fails(Error_code::bad_request, a(), "item.reveal", {{"board", "vision"}, {"id", 5}});
    room.fails(Error_code::invalid, a(), "item.reveal", {{"board", "wall"}});
    room.fails(Error_code::invalid, a(), "item.reveal", {{"board", "vision"}, {"all", true}});
    // Someone else's reveal-all touches only their own items.
    EXPECT_EQ(room.ok(b(), "item.reveal", {{"board", "vision"}}), json::array());
    EXPECT_EQ(room.item("vision", id)["hidden"], true);
}

// ---------------------------------------------------------------- closed room

TEST_F(ReducerItems, EveryItemCommandAfterCloseIsRoomClosed)
{
    auto id = room.add(a(), "vision", "vision", "x", {{"hidden", true}});
    room.ok(fac(), "room.close");
    room.fails(Error_code::room_closed, a(), "item.add", {{"board", "vision"}, {"column", "vision"}, {"text", "y"}});
    room.fails(Error_code::room_closed, a(), "item.edit", {{"board", "vision"}, {"id", id}, {"text", "y"}});
    room.fails(Error_code::room_closed, a(), "item.move", {{"board", "vision"}, {"id", id}, {"order", 2}});
    room.fails(Error_code::room_closed, fac(), "item.delete", {{"board", "vision"}, {"id", id}});
    room.fails(Error_code::room_closed, b(), "item.vote", {{"board", "vision"}, {"id", id}});
    room.fails(Error_code::room_closed, a(), "item.reveal", {{"board", "vision"}});
}

}  // namespace
}  // namespace keha::test
