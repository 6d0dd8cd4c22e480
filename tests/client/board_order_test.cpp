// keha-desk shows a room with ties in the board order every view shares (keha/board_order.hpp,
// docs/protocol.md §5 "Board order"): the room and the order are tests/data/board_order_ties.json,
// which the notes' and the browser's tests read too.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "document.hpp"

using keha::json;
using keha::desk::Document;

namespace {

json ties()
{
    std::ifstream in(KEHA_TEST_DATA_DIR "/board_order_ties.json");
    std::stringstream ss;
    ss << in.rdbuf();
    return json::parse(ss.str());
}

std::vector<std::string> ids(const std::vector<const json*>& items)
{
    std::vector<std::string> out;
    for (const json* item : items) out.push_back((*item)["id"].get<std::string>());
    return out;
}

std::vector<std::string> expected(const json& fixture, const std::string& key)
{
    return fixture["expected"][key].get<std::vector<std::string>>();
}

TEST(BoardOrder, TheDeskShowsTheRoomWithTiesInTheOrder)
{
    const json fixture = ties();
    json state = {{"room", {{"code", "K7Q4MX"}, {"title", "Tiimi"}, {"language", "fi"}, {"status", "open"}}},
                  {"phases", json::array()},
                  {"phase", ""},
                  {"participants", json::object()},
                  {"boards", fixture["boards"]}};
    Document doc;
    doc.apply_welcome({{"type", "welcome"}, {"you", "p1"}, {"role", "facilitator"}, {"token", "t"}, {"seq", 1}, {"state", state}});
    EXPECT_EQ(ids(doc.timeline()), expected(fixture, "timeline"));
    EXPECT_EQ(ids(doc.column_items("vision", "hinders")), expected(fixture, "vision/hinders"));
    EXPECT_EQ(ids(doc.column_items("plan", "action")), expected(fixture, "plan/action"));
    std::vector<std::string> by_status;
    for (const auto& group : doc.plan_by_status())
        for (const json* item : group.items) by_status.push_back((*item)["id"].get<std::string>());
    // Grouped by status (proposed, agreed, done), each group in board order.
    EXPECT_EQ(by_status, (std::vector<std::string>{"i35", "i2", "i40", "i31"}));
}

// Groups and sorting by votes: the same room the browser's and libkeha's tests arrange
// (tests/data/board_groups.json), its cards in the places every view shows.
TEST(BoardOrder, TheDeskPlacesGroupsAndSortsByVotesAsTheBrowserDoes)
{
    std::ifstream in(KEHA_TEST_DATA_DIR "/board_groups.json");
    std::stringstream ss;
    ss << in.rdbuf();
    const json fixture = json::parse(ss.str());
    for (const std::string sort : {"order", "votes"}) {
        json board = fixture["board"];
        board["sort"] = sort;
        json state = {{"room", {{"code", "K7Q4MX"}, {"title", "Tiimi"}, {"language", "fi"}, {"status", "open"}}},
                      {"phases", json::array()},
                      {"phase", ""},
                      {"participants", json::object()},
                      {"boards", {{"vision", board}}}};
        Document doc;
        doc.apply_welcome({{"type", "welcome"}, {"you", "p1"}, {"role", "facilitator"}, {"token", "t"}, {"seq", 1}, {"state", state}});
        std::vector<std::string> want;
        for (const auto& place : fixture["expected"][sort])
            for (std::size_t i = 1; i < place.size(); ++i) want.push_back(place[i].get<std::string>());
        EXPECT_EQ(ids(doc.column_items("vision", "hinders")), want) << sort;
    }
}

}  // namespace
