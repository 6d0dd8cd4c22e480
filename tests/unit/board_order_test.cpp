// The board-order rule (keha/board_order.hpp, docs/protocol.md §5 "Board order") and that the
// notes and the process report show a room with ties in it. The room and the order every view
// must show are in tests/data/board_order_ties.json, which keha-desk's and the browser's tests
// read too.
#include <gtest/gtest.h>

#include "helpers.hpp"
#include "keha/board_order.hpp"
#include "keha/i18n.hpp"
#include "keha/notes.hpp"
#include "keha/report.hpp"

namespace keha::test {
namespace {

json ties() { return load_json(KEHA_TEST_DATA_DIR "/board_order_ties.json"); }

std::vector<std::string> expected(const json& fixture, const std::string& key)
{
    return fixture["expected"][key].get<std::vector<std::string>>();
}

std::vector<const json*> items_of(const json& fixture, const std::string& board, const std::string& column = {})
{
    std::vector<const json*> out;
    for (const auto& [id, item] : fixture["boards"][board]["items"].items())
        if (column.empty() || item["column"] == column) out.push_back(&item);
    return out;
}

std::string markdown_escaped(const std::string& id)
{
    std::string out;
    for (char c : id) out += c == '_' ? std::string("\\_") : std::string(1, c);
    return out;
}

std::vector<std::string> ids(const std::vector<const json*>& items)
{
    std::vector<std::string> out;
    for (const json* item : items) out.push_back((*item)["id"].get<std::string>());
    return out;
}

// The ids in the order their texts ("«id»", Markdown-escaped or not) first appear in `text` after `from`.
std::vector<std::string> order_in(const std::string& text, const std::vector<std::string>& wanted, std::size_t from = 0)
{
    std::vector<std::pair<std::size_t, std::string>> found;
    for (const auto& id : wanted) {
        auto at = text.find("«" + id + "»", from);
        if (at == std::string::npos) at = text.find("«" + markdown_escaped(id) + "»", from);
        if (at != std::string::npos) found.emplace_back(at, id);
    }
    std::sort(found.begin(), found.end());
    std::vector<std::string> out;
    for (const auto& f : found) out.push_back(f.second);
    return out;
}

// A meeting of the default template whose boards are the fixture's.
json tie_room(const json& fixture)
{
    json state = make_state(test_meta("fi"), default_template());
    for (const auto& [board, content] : fixture["boards"].items()) state["boards"][board]["items"] = content["items"];
    return state;
}

TEST(BoardOrder, OrderThenCreatedAtThenIdAsText)
{
    const json fixture = ties();
    auto hinders = items_of(fixture, "vision", "hinders");
    sort_in_board_order(hinders);
    EXPECT_EQ(ids(hinders), expected(fixture, "vision/hinders"));
    auto plan = items_of(fixture, "plan");
    sort_board_items(plan, "plan");
    EXPECT_EQ(ids(plan), expected(fixture, "plan/action"));
}

TEST(BoardOrder, TimelineDatedFirstThenTheRestInBoardOrder)
{
    const json fixture = ties();
    auto timeline = items_of(fixture, "timeline");
    sort_board_items(timeline, "timeline");
    EXPECT_EQ(ids(timeline), expected(fixture, "timeline"));
}

TEST(BoardOrder, WhatCountsAsADate)
{
    for (const char* date : {"2021", "2021-03", "2021-03-05", "1999-12-31", "2021-02-30"}) EXPECT_TRUE(is_iso_when(date)) << date;
    for (const char* other : {"", "21-02", "2021-1", "2021-13", "2021-00", "2021-02-32", "2021-02-00", " 2021", "2021 ",
                              "syksyllä", "2021-03-05T10:00"})
        EXPECT_FALSE(is_iso_when(other)) << other;
}

TEST(BoardOrder, ATimelineSortedAsTheNotesAndViewsShowIt)
{
    json items = json::object();
    auto put = [&](const std::string& id, const std::string& when, double order, bool hidden = false) {
        items[id] = {{"id", id}, {"text", id}, {"when", when}, {"order", order}, {"hidden", hidden},
                     {"created_at", "2026-11-23T09:00:00Z"}};
    };
    put("free2", "later", 1);
    put("d2021_03_05", "2021-03-05", 2);
    put("d2021", "2021", 3);
    put("free1", "", 0.5);
    put("d2021_03", "2021-03", 4);
    put("d1999", "1999-12-31", 5);
    put("bad_day", "2021-02-32", 6);
    put("bad_form", "21-02", 7);
    put("hidden", "1900", 0, true);  // by its date for whom it reaches with its date (the notes leave it out)
    put("d2021_b", "2021", 0.1);     // same date: board order decides
    std::vector<const json*> list;
    for (const auto& [id, item] : items.items()) list.push_back(&item);
    sort_in_timeline_order(list);
    EXPECT_EQ(ids(list), (std::vector<std::string>{"hidden", "d1999", "d2021_b", "d2021", "d2021_03", "d2021_03_05", "free1",
                                                   "free2", "bad_day", "bad_form"}));
}

TEST(BoardOrder, AnOrderThatIsNoFiniteNumberCountsAsZero)
{
    const json a = {{"id", "a"}, {"order", "7"}}, b = {{"id", "b"}, {"order", -0.5}}, c = {{"id", "c"}};
    EXPECT_TRUE(board_order_less(b, a));
    EXPECT_TRUE(board_order_less(a, c));  // both 0: by id
    EXPECT_FALSE(board_order_less(c, a));
    EXPECT_FALSE(board_order_less(a, a));
}

TEST(BoardOrder, TheNotesShowTheRoomWithTiesInTheOrder)
{
    const json fixture = ties();
    const json state = tie_room(fixture);
    for (auto format : {Notes_format::md, Notes_format::html}) {
        SCOPED_TRACE(std::string(content_type(format)));
        const std::string notes = render_notes(state, format, catalog("fi"));
        for (const char* key : {"timeline", "vision/hinders", "plan/action"})
            EXPECT_EQ(order_in(notes, expected(fixture, key)), expected(fixture, key)) << key;
    }
}

TEST(BoardOrder, TheReportShowsTheRoomWithTiesInTheOrder)
{
    const json fixture = ties();
    const json process = {{"id", "prc_x"}, {"title", "Prosessi"}, {"teams", json::array()}, {"created_at", "2026-10-01T08:00:00Z"}};
    for (auto format : {Notes_format::md, Notes_format::html}) {
        SCOPED_TRACE(std::string(content_type(format)));
        const std::string report = render_process_report(process, {{tie_room(fixture), {}}}, format, catalog("fi"));
        // The plan's evolution lists every action; the agreements after it the agreed ones.
        EXPECT_EQ(order_in(report, expected(fixture, "plan/action")), expected(fixture, "plan/action"));
        const auto agreements = report.find(tr(catalog("fi"), "notes.agreements"), report.find("«i31»"));
        ASSERT_NE(agreements, std::string::npos);
        EXPECT_EQ(order_in(report, expected(fixture, "plan/action"), agreements), (std::vector<std::string>{"i2", "i40", "i31"}));
    }
}

}  // namespace
}  // namespace keha::test
