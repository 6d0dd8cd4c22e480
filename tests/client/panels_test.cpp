// The console's HTTP panels (view_export, view_records, view_history, view_process) as a
// facilitator uses them, against a real keha-server: keha-desk's App_state joined to the room
// over its WebSocket, each panel started and polled between "frames" as the window's loop
// does, and what the facilitator would see or get checked — the room as it stood at a chosen
// seq, the identity-code question before a file is written, the access log's file and notice,
// an import from an earlier meeting of the process.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <thread>

#include "app_state.hpp"
#include "keha/private_writing.hpp"
#include "support/http_client.hpp"
#include "support/meeting.hpp"
#include "view_panels.hpp"

using namespace keha::desk;
using keha::itest::create_room;
using keha::itest::http_request;
using keha::itest::Member;
using keha::itest::Room_keys;
using keha::itest::Server_process;
using keha::itest::Temp_dir;
using keha::itest::with_key;
using keha::json;
namespace fs = std::filesystem;

namespace {

std::string read_file(const fs::path& path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

class DeskPanels : public ::testing::Test {
protected:
    void SetUp() override
    {
        url_ = *parse_server_url("http://127.0.0.1:" + std::to_string(server_.port()));
        ASSERT_TRUE(app_.str.load(KEHA_TEST_ASSETS, "fi"));
        app_.tokens = Resume_tokens{dir_.path() / "state"};
    }

    // The console joined to `room` with its facilitator key, as `keha-desk --room` does.
    void enter_console(const Room_keys& room)
    {
        app_.enter_room(url_, room.code, Hello{{}, "", "", room.facilitator_key, ""}, Face::console);
        ASSERT_TRUE(frames_until([&] { return app_.doc.has_state() && app_.link == Link::online; }))
            << "the console did not get into the room: " << app_.link_detail;
    }

    // The window's loop without a window: the network and the panels between frames, until
    // `done` (false after 30 s).
    bool frames_until(const std::function<bool()>& done)
    {
        for (int i = 0; i < 3000; ++i) {
            app_.pump();
            panels_.poll(app_);
            if (done()) return true;
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        return false;
    }

    Temp_dir dir_;
    Server_process server_{dir_.path() / "desk-panels.db"};
    Server_url url_;
    App_state app_;
    Console_panels panels_;
};

}  // namespace

TEST_F(DeskPanels, TheHistoryPanelShowsTheRoomAsItStoodAtAChosenSeq)
{
    Room_keys room = create_room(server_.port(), {{"title", "Historia"}, {"language", "fi"}});
    Member facilitator(server_.port(), room.code, with_key(room.facilitator_key));
    const std::uint64_t first = facilitator.ok("item.add", {{"board", "timeline"}, {"column", "event"}, {"text", "Koulu alkoi"}});
    const std::uint64_t second = facilitator.ok("item.add", {{"board", "timeline"}, {"column", "event"}, {"text", "Muutto"}});
    const std::uint64_t third = facilitator.ok("item.add", {{"board", "timeline"}, {"column", "event"}, {"text", "Uusi koulu"}});
    enter_console(room);
    ASSERT_EQ(app_.doc.item_count(), 3u);

    // --history-seq, or the slider: the boards show the room after the second item.
    History_panel& history = panels_.history;
    history.go_to(app_, second);
    ASSERT_TRUE(frames_until([&] { return !panels_.busy(app_) && history.loaded(); })) << history.error();
    EXPECT_EQ(history.last_seq(), third);
    ASSERT_FALSE(history.ops().empty());
    EXPECT_EQ(history.ops().back().seq, third);
    EXPECT_EQ(*history.loaded(), second);
    EXPECT_TRUE(history.showing_past());
    EXPECT_EQ(history.document().item_count(), 2u);
    EXPECT_EQ(history.document().you(), app_.doc.you()) << "the past is drawn as this facilitator saw it";
    EXPECT_EQ(app_.doc.item_count(), 3u) << "the live room is untouched";

    // A later wish wins over one still on its way: the room as it was after the first item.
    history.load(app_, third);
    history.load(app_, first);
    ASSERT_TRUE(frames_until([&] { return !panels_.busy(app_) && history.loaded() == first; })) << history.error();
    EXPECT_EQ(history.document().item_count(), 1u);

    // Leaving the History tab returns the boards to the present.
    history.tab_shown(false);
    EXPECT_FALSE(history.showing_past());
}

TEST_F(DeskPanels, AnExportWithAnIdentityCodeAsksFirstAndWritesOnlyWhenConfirmed)
{
    Room_keys room = create_room(server_.port(), {{"title", "Vienti"}, {"language", "fi"}});
    Member facilitator(server_.port(), room.code, with_key(room.facilitator_key));
    const std::uint64_t coded =
        facilitator.ok("item.add", {{"board", "timeline"}, {"column", "event"}, {"text", "Syntynyt 131052-308T"}});
    facilitator.ok("item.add", {{"board", "timeline"}, {"column", "event"}, {"text", "Koulu alkoi"}});
    enter_console(room);
    Export_panel& exporting = panels_.exporting;
    const fs::path notes = dir_.path() / "muistio.md";

    // The check finds the code: the facilitator is asked, and nothing is written before that.
    exporting.start(app_, "md", notes.string());
    ASSERT_TRUE(frames_until([&] { return exporting.asking(); }));
    EXPECT_FALSE(exporting.check_failed());
    ASSERT_EQ(exporting.hits().size(), 1u);
    EXPECT_EQ(exporting.hits()[0].board, "timeline");
    EXPECT_EQ(exporting.hits()[0].field, "text");
    exporting.cancel(app_);
    EXPECT_FALSE(exporting.asking());
    EXPECT_EQ(exporting.message(), app_.str("desk.export.cancelled"));
    EXPECT_FALSE(fs::exists(notes));

    // Asked again and confirmed: the notes are in the file, and the panel says where.
    exporting.start(app_, "md", notes.string());
    ASSERT_TRUE(frames_until([&] { return exporting.asking(); }));
    exporting.confirm(app_);
    ASSERT_TRUE(frames_until([&] { return !exporting.busy(); }));
    EXPECT_FALSE(exporting.failed()) << exporting.message();
    EXPECT_EQ(exporting.message(), app_.str.format("desk.export.saved", "path", notes.string()));
    const std::string written = read_file(notes);
    EXPECT_NE(written.find("Vienti"), std::string::npos);
    EXPECT_NE(written.find("Koulu alkoi"), std::string::npos);

    // From the history: the notes as of the first item, without what came after it.
    const fs::path earlier = dir_.path() / "muistio-aiempi.md";
    exporting.start(app_, "md", earlier.string(), coded);
    ASSERT_TRUE(frames_until([&] { return exporting.asking(); }));
    EXPECT_EQ(exporting.seq(), coded);
    exporting.confirm(app_);
    ASSERT_TRUE(frames_until([&] { return !exporting.busy(); }));
    ASSERT_TRUE(fs::exists(earlier)) << exporting.message();
    EXPECT_EQ(read_file(earlier).find("Koulu alkoi"), std::string::npos);

    // A file that cannot be written is said so; nothing else is claimed.
    const fs::path nowhere = dir_.path() / "no-such-folder" / "muistio.md";
    exporting.start(app_, "md", nowhere.string());
    ASSERT_TRUE(frames_until([&] { return exporting.asking(); }));
    exporting.confirm(app_);
    ASSERT_TRUE(frames_until([&] { return !exporting.busy(); }));
    EXPECT_TRUE(exporting.failed());
    EXPECT_EQ(exporting.message(), app_.str.format("desk.export.cannot_write", "path", nowhere.string()));
}

TEST_F(DeskPanels, AnExportBeforeTheRevealSaysWhichBoardsHoldNotesNotRevealedAndLeavesThemOut)
{
    Room_keys room = create_room(server_.port(), {{"title", "Yksin kirjoitettu"}, {"language", "fi"}});
    Member facilitator(server_.port(), room.code, with_key(room.facilitator_key));
    facilitator.ok("board.private", {{"board", "timeline"}, {"private", true}});
    Member pirjo(server_.port(), room.code, keha::itest::as_participant("Pirjo"));
    const std::string secret = "Koulu otti yhteyttä syksyllä";
    pirjo.ok("item.add", {{"board", "timeline"}, {"column", "event"}, {"text", secret}});
    enter_console(room);
    Export_panel& exporting = panels_.exporting;
    const fs::path notes = dir_.path() / "ennen.md";
    std::string line = app_.str.count("writing.notes_unrevealed", 1);
    line.replace(line.find("{board}"), 7, app_.str("board.timeline"));

    // No identity code, but a note not revealed: asked first, nothing written on going back.
    exporting.start(app_, "md", notes.string());
    ASSERT_TRUE(frames_until([&] { return exporting.asking(); }));
    EXPECT_TRUE(exporting.hits().empty());
    EXPECT_EQ(exporting.unrevealed(), std::vector<std::string>{line});
    exporting.cancel(app_);
    EXPECT_FALSE(fs::exists(notes));

    // Exported anyway: the notes say what they leave out, and hold none of its words.
    exporting.start(app_, "md", notes.string());
    ASSERT_TRUE(frames_until([&] { return exporting.asking(); }));
    exporting.confirm(app_);
    ASSERT_TRUE(frames_until([&] { return !exporting.busy(); }));
    const std::string before = read_file(notes);
    EXPECT_NE(before.find(line), std::string::npos) << before;
    EXPECT_EQ(before.find(secret), std::string::npos);

    // Revealed: written at once, with the note.
    facilitator.ok("board.reveal", {{"board", "timeline"}});
    ASSERT_TRUE(frames_until([&] { return keha::private_total(app_.doc.state(), "timeline") == 0; }));
    const fs::path after = dir_.path() / "jalkeen.md";
    exporting.start(app_, "md", after.string());
    ASSERT_TRUE(frames_until([&] { return !exporting.busy() && fs::exists(after); })) << exporting.message();
    EXPECT_FALSE(exporting.asking());
    EXPECT_NE(read_file(after).find(secret), std::string::npos);
}

TEST_F(DeskPanels, TheAccessLogGoesToAFileAndANoticeSaysWhere)
{
    Room_keys room = create_room(server_.port(), {{"title", "Kirjaukset"}, {"language", "fi"}});
    enter_console(room);
    const fs::path log = dir_.path() / "access-log.csv";
    panels_.records.save_access_log(app_, log.string());
    ASSERT_TRUE(frames_until([&] { return !panels_.records.busy(); }));
    ASSERT_TRUE(fs::exists(log));
    EXPECT_EQ(read_file(log).rfind("at,room,event,role,pid,name,address,detail", 0), 0u) << "the CSV's header first";
    ASSERT_FALSE(app_.notices.empty());
    EXPECT_EQ(app_.notices.back().text, app_.str.format("desk.records.access_log_saved", "path", log.string()));
    EXPECT_FALSE(app_.notices.back().error);

    const fs::path nowhere = dir_.path() / "no-such-folder" / "access-log.csv";
    panels_.records.save_access_log(app_, nowhere.string());
    ASSERT_TRUE(frames_until([&] { return !panels_.records.busy(); }));
    EXPECT_EQ(app_.notices.back().text, app_.str.format("desk.export.cannot_write", "path", nowhere.string()));
    EXPECT_TRUE(app_.notices.back().error);
}

TEST_F(DeskPanels, TheProcessPanelImportsFromAnEarlierMeetingAndCountsWhatCameIn)
{
    auto created = http_request(server_.port(), "POST", "/api/processes",
                                json{{"title", "MONNI"}, {"teams", {"Ammattilaiset", "Johtajat"}}}.dump());
    ASSERT_EQ(created.status, 201) << created.body;
    const std::string process = created.json_body()["id"], process_key = created.json_body()["key"];
    auto meeting = [&](const char* title, const char* team) {
        return create_room(server_.port(), {{"title", title}, {"process", process}, {"process_key", process_key},
                                            {"team", team}, {"language", "fi"}});
    };
    Room_keys first = meeting("Ammattilaisten tiimi 1", "Ammattilaiset");
    Room_keys second = meeting("Johtajien tiimi 1", "Johtajat");
    {
        Member f(server_.port(), first.code, with_key(first.facilitator_key));
        f.ok("item.add", {{"board", "timeline"}, {"column", "event"}, {"text", "Perhetyö alkoi"}, {"when", "2020"}});
        f.ok("item.add", {{"board", "plan"}, {"column", "action"}, {"text", "Nuori kutsutaan palavereihin"}});
        f.ok("item.add", {{"board", "vision"}, {"column", "enables"}, {"text", "Toive"}});
    }

    // The console of the second meeting fetches its process by itself: the Process tab shows.
    enter_console(second);
    Process_panel& panel = panels_.process;
    ASSERT_TRUE(frames_until([&] { return panel.shown(app_) && panel.view().valid && !panel.busy(app_); }))
        << panel.error();
    ASSERT_EQ(panel.view().meetings.size(), 2u);
    EXPECT_EQ(panel.view().meetings[0].code, first.code);
    EXPECT_EQ(panel.view().meetings[1].items, 0);

    // Choosing the first meeting preselects its timeline and plan, not its vision.
    ASSERT_TRUE(panel.import_from(app_, first.code));
    EXPECT_EQ(panel.chosen(), 0);
    EXPECT_TRUE(panel.boards().at("timeline"));
    EXPECT_TRUE(panel.boards().at("plan"));
    ASSERT_TRUE(panel.boards().count("vision"));
    EXPECT_FALSE(panel.boards().at("vision"));
    EXPECT_TRUE(panel.busy(app_)) << "the import is on its way until it lands";

    // It lands in the room, and the panel's counts are fetched again with it (the choice kept).
    ASSERT_TRUE(frames_until([&] { return app_.doc.item_count() == 2 && !panel.busy(app_); }));
    EXPECT_EQ(app_.doc.board_items("timeline").size(), 1u);
    EXPECT_EQ(app_.doc.board_items("plan").size(), 1u);
    ASSERT_TRUE(frames_until([&] { return panel.view().meetings.size() == 2 && panel.view().meetings[1].items == 2; }));
    EXPECT_EQ(panel.chosen(), 0);
    EXPECT_FALSE(panel.import_from(app_, "ABCD-EFGH")) << "a meeting not in the process is not imported from";
}
