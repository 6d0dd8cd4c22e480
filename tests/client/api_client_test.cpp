// keha-desk's API client against a real keha-server: what the console's notes, history,
// records and Process panel rely on — each call reaching its endpoint with the facilitator key
// and its answer read into what the panels show.
#include <gtest/gtest.h>

#include <thread>

#include "api_client.hpp"
#include "pending.hpp"
#include "support/meeting.hpp"

using namespace keha::desk;
using keha::itest::Member;
using keha::itest::Server_process;
using keha::itest::Temp_dir;
using keha::itest::with_key;
using keha::json;

namespace {

struct Api_server {
    Temp_dir dir;
    Server_process server{dir.path() / "desk-api.db"};
    Server_url url() const { return *parse_server_url("http://127.0.0.1:" + std::to_string(server.port())); }
};

// Waits (in the test, not in the UI) until the pending answer is in.
template <class T>
T wait_for(Pending<T>& pending)
{
    for (int i = 0; i < 3000; ++i) {
        if (auto answer = pending.take()) return std::move(*answer);
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ADD_FAILURE() << "no answer";
    return T{};
}

}  // namespace

TEST(DeskApiClient, TheNotesHistoryAndRecordsOfAMeeting)
{
    Api_server s;
    auto templates = Api_client(s.url(), "").templates();
    ASSERT_TRUE(templates.ok()) << templates.error;
    EXPECT_FALSE(templates.value->empty());

    auto created = Api_client(s.url(), "").create_room("Kehittämisen tiimi", "", "fi");
    ASSERT_TRUE(created.ok()) << created.error;
    const Created_room room = *created.value;
    Member facilitator(s.server.port(), room.code, with_key(room.facilitator_key));
    facilitator.ok("item.add", {{"board", "timeline"}, {"column", "event"}, {"text", "Syntynyt 131052-308T"}});
    const std::uint64_t last = facilitator.ok("item.add", {{"board", "timeline"}, {"column", "event"}, {"text", "Koulu alkoi"}});

    Api_client api(s.url(), room.facilitator_key, room.code);
    // The check finds the identity code (where, never the code itself); the notes come as a file.
    Pending<Api_answer<std::vector<Identity_code_hit>>> checking;
    checking.start([api] { return api.export_check(std::nullopt); });
    EXPECT_TRUE(checking.busy());
    auto check = wait_for(checking);
    EXPECT_FALSE(checking.busy());
    ASSERT_TRUE(check.ok()) << check.error;
    ASSERT_EQ(check.value->size(), 1u);
    EXPECT_EQ((*check.value)[0].board, "timeline");
    EXPECT_EQ((*check.value)[0].field, "text");

    auto notes = api.export_notes({"md", "initials", std::nullopt, "fi"});
    ASSERT_TRUE(notes.ok()) << notes.error;
    EXPECT_NE(notes.value->find("Kehittämisen tiimi"), std::string::npos);
    EXPECT_NE(notes.value->find("Koulu alkoi"), std::string::npos);
    // As of the first item: the second is not in those notes yet.
    auto earlier = api.export_notes({"md", "", last - 1, "fi"});
    ASSERT_TRUE(earlier.ok()) << earlier.error;
    EXPECT_EQ(earlier.value->find("Koulu alkoi"), std::string::npos);

    // The history: its ops, and the state as it stood after one of them.
    auto history = api.history();
    ASSERT_TRUE(history.ok()) << history.error;
    EXPECT_EQ(history.value->last_seq, last);
    ASSERT_FALSE(history.value->ops.empty());
    EXPECT_EQ(history.value->ops.back().seq, last);
    EXPECT_EQ(history.value->ops.back().cmd, "item.add");
    auto before = api.history_at(last - 1);
    ASSERT_TRUE(before.ok()) << before.error;
    EXPECT_EQ(before.value->seq, last - 1);
    EXPECT_EQ(before.value->state["boards"]["timeline"]["items"].size(), 1u);
    EXPECT_FALSE(before.value->at.empty());

    auto log = api.access_log_csv();
    ASSERT_TRUE(log.ok()) << log.error;
    EXPECT_EQ(log.value->rfind("at,room,event,role,pid,name,address,detail", 0), 0u);  // the CSV, not JSON

    // Another key gets the server's refusal, not an answer read as empty.
    auto refused = Api_client(s.url(), room.screen_key, room.code).history();
    EXPECT_FALSE(refused.ok());
    EXPECT_EQ(refused.status, 403);

    // Deleting the meeting: afterwards there is nothing to ask about.
    auto deleted = api.delete_room();
    ASSERT_TRUE(deleted.ok()) << deleted.error;
    auto gone = api.history();
    EXPECT_FALSE(gone.ok());
    EXPECT_EQ(gone.status, 404);
}

TEST(DeskApiClient, TheProcessOfAMeetingAndItsReport)
{
    Api_server s;
    auto made = keha::itest::http_request(s.server.port(), "POST", "/api/processes",
                                          json{{"title", "MONNI"}, {"teams", {"Ammattilaiset"}}}.dump());
    ASSERT_EQ(made.status, 201) << made.body;
    const std::string process = made.json_body()["id"], process_key = made.json_body()["key"];
    auto room = keha::itest::create_room(s.server.port(), {{"title", "Ammattilaiset 1"}, {"language", "fi"},
                                                          {"process", process}, {"process_key", process_key},
                                                          {"team", "Ammattilaiset"}});
    Member facilitator(s.server.port(), room.code, with_key(room.facilitator_key));
    facilitator.ok("item.add", {{"board", "plan"}, {"column", "action"}, {"text", "Yhteinen palaveri"}});

    Api_client api(s.url(), room.facilitator_key, room.code);
    auto view = api.process(process, "fi");
    ASSERT_TRUE(view.ok()) << view.error;
    EXPECT_EQ(view.value->title, "MONNI");
    ASSERT_EQ(view.value->meetings.size(), 1u);
    EXPECT_EQ(view.value->meetings[0].code, room.code);
    EXPECT_EQ(view.value->meetings[0].team, "Ammattilaiset");
    EXPECT_EQ(view.value->meetings[0].items, 1);
    EXPECT_TRUE(view.value->source.is_object());

    auto report = api.process_report(process, "md", "fi");
    ASSERT_TRUE(report.ok()) << report.error;
    EXPECT_NE(report.value->find("MONNI"), std::string::npos);

    auto unknown = api.process("prc_none", "fi");
    EXPECT_FALSE(unknown.ok());
    EXPECT_EQ(unknown.status, 404);
}
