// Where the boards' columns end (keha/column_ends.hpp), as a server's room keeps them beside its
// state: an item added through them goes exactly where reading the whole board puts it, after
// any change the reducer makes and any operation a patch can carry.
#include <gtest/gtest.h>

#include "keha/board_order.hpp"
#include "keha/column_ends.hpp"
#include "random_room.hpp"

namespace keha::test {
namespace {

// Every column of every board (and one nobody uses), through the mirror and by reading.
void expect_same_ends(Column_ends& ends, const json& state, const std::string& when)
{
    for (const auto& [board, b] : state.at("boards").items()) {
        std::vector<std::string> columns = {"no such column"};
        for (const auto& [id, item] : b.at("items").items())
            if (item.contains("column") && item["column"].is_string()) columns.push_back(item["column"]);
        for (const auto& column : columns)
            ASSERT_EQ(ends.after_last(state, board, column), order_after_last(b.at("items"), column))
                << when << ": board " << board << ", column " << column;
    }
}

TEST(ColumnEnds, AnItemAddedGoesWhereReadingTheBoardPutsItThroughRandomRooms)
{
    for (unsigned seed = 1; seed <= 12; ++seed) {
        Random_room random(seed);
        random.extensions = true;  // groups, copies, polls...: every command that touches a board
        Column_ends ends;
        random.room.column_ends = &ends;
        int added = 0;
        for (int i = 0; i < 500; ++i) {
            const Step step = random.step();
            added += step.accepted && step.cmd == "item.add";
            expect_same_ends(ends, random.room.state, "seed " + std::to_string(seed) + ", step " + std::to_string(i) + " " + step.cmd);
            if (::testing::Test::HasFatalFailure()) return;
        }
        EXPECT_GT(added, 20) << "seed " << seed;
    }
}

TEST(ColumnEnds, ItemsMovedDeletedAndRenumberedInOneColumn)
{
    Room room;
    const std::string fac_id = room.join("Fia", "facilitator", "leader");
    const Actor fac{fac_id, Role::facilitator};  // an Actor only views its pid
    Column_ends ends;
    room.column_ends = &ends;
    auto add = [&](const std::string& column) {
        return room.ok(fac, "item.add", {{"board", "vision"}, {"column", column}, {"text", "x"}})[0]["value"]["id"].get<std::string>();
    };
    const auto a = add("hinders"), b = add("hinders"), c = add("hinders");
    EXPECT_EQ(room.state["boards"]["vision"]["items"][c]["order"], 3.0);
    // The last one moved to the other column, another to the front: the end is b's again.
    room.ok(fac, "item.move", {{"board", "vision"}, {"id", c}, {"column", "enables"}});
    room.ok(fac, "item.move", {{"board", "vision"}, {"id", a}, {"order", 0.5}});
    EXPECT_EQ(ends.after_last(room.state, "vision", "hinders"), 3.0);
    EXPECT_EQ(ends.after_last(room.state, "vision", "enables"), 4.0);
    // Moved far down, then deleted: the column ends where it did before.
    room.ok(fac, "item.move", {{"board", "vision"}, {"id", a}, {"order", 41.7}});
    EXPECT_EQ(ends.after_last(room.state, "vision", "hinders"), 42.0);
    room.ok(fac, "item.delete", {{"board", "vision"}, {"id", a}});
    EXPECT_EQ(ends.after_last(room.state, "vision", "hinders"), 3.0);
    const auto d = add("hinders");
    EXPECT_EQ(room.state["boards"]["vision"]["items"][d]["order"], 3.0);
    (void)b;
}

TEST(ColumnEnds, OperationsOnWholeBoardsAndEscapedIdsAreFollowed)
{
    json state = {{"boards", {{"plan", {{"items", {{"a/b", {{"column", "now"}, {"order", 4}}}}}, {"sort", "votes"}}}}}};
    Column_ends ends;
    EXPECT_EQ(ends.after_last(state, "plan", "now"), 5.0);
    auto apply = [&](const char* op) {
        const json patch = json::array({json::parse(op)});
        state.patch_inplace(patch);
        ends.changed(patch[0]);
        EXPECT_EQ(ends.after_last(state, "plan", "now"), order_after_last(state["boards"]["plan"]["items"], "now")) << op;
    };
    apply(R"({"op":"replace","path":"/boards/plan/items/a~1b/order","value":9.5})");
    apply(R"({"op":"remove","path":"/boards/plan/items/a~1b/column"})");
    apply(R"({"op":"add","path":"/boards/plan/items/c","value":{"column":"now","order":7}})");
    apply(R"({"op":"replace","path":"/boards/plan/sort","value":"board"})");
    apply(R"({"op":"copy","from":"/boards/plan/items/c","path":"/boards/plan/items/d"})");
    apply(R"({"op":"replace","path":"/boards/plan/items/d/order","value":"not a number"})");
    apply(R"({"op":"replace","path":"/boards/plan/items","value":{"e":{"column":"now","order":2,"voters":[]}}})");
    apply(R"({"op":"add","path":"/boards/plan/items/e/voters/-","value":"p1"})");
    apply(R"({"op":"replace","path":"/boards","value":{"plan":{"items":{"f":{"column":"now","order":12}}}}})");
    apply(R"({"op":"replace","path":"","value":{"boards":{"plan":{"items":{}}}}})");
}

}  // namespace
}  // namespace keha::test
