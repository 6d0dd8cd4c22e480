#pragma once
// The console's Process tab (docs/protocol.md §10.4): the room's process (GET
// /api/processes/{id} with the facilitator key) — its meetings, the questionnaire's medians
// across them —, the process report to a file, and item.import from an earlier meeting.
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "api_client.hpp"
#include "pending.hpp"

namespace keha::desk {

struct App_state;

class Process_panel {
public:
    // Between frames: fetches the room's process when the console's room names one it has not
    // fetched (and again once an import landed); what the calls brought.
    void poll(App_state& app);
    // Fetches the room's process (again).
    void open(App_state& app);
    void start_report(App_state& app, const std::string& format, const std::string& path);
    // The meeting to import from (index into view().meetings): its timeline and plan preselected.
    void choose_meeting(int index);
    // item.import {from, boards} of the chosen meeting and boards.
    void import_chosen(App_state& app);
    // Chooses the meeting with this code and imports what is preselected, as a facilitator
    // would click it (--import-from); false when the process has no such meeting.
    bool import_from(App_state& app, const std::string& code);
    bool busy(const App_state& app) const;

    // The room's process answered: the Process tab shows.
    bool shown(const App_state& app) const;
    const Process_view& view() const { return view_; }
    int chosen() const { return from_; }
    const std::map<std::string, bool>& boards() const { return boards_; }
    const std::string& error() const { return error_; }
    const std::string& report_message() const { return report_message_; }
    bool report_failed() const { return report_error_; }

    void draw(App_state& app);

private:
    void take(Process_view view);
    void import_part(App_state& app);
    void report_part(App_state& app);

    std::string id_;  // the process the answer below is for
    Pending<Api_answer<Process_view>> fetching_;
    Process_view view_;
    bool missing_ = false;  // 404/403: the room's label names no process we may open
    std::string error_;
    std::string report_path_;
    Pending<Api_answer<std::string>> report_;
    std::string report_message_;
    bool report_error_ = false;
    int from_ = -1;                       // the meeting chosen to import from (index into view_.meetings)
    std::map<std::string, bool> boards_;  // the boards chosen to import
    std::optional<std::uint64_t> import_sent_at_;  // the seq when item.import was sent (until it lands)
};

// The room's process (room.process), "" when none.
std::string room_process(const App_state& app);

}  // namespace keha::desk
