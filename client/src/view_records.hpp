#pragma once
// The meeting's records in the console's Room tab (docs/protocol.md §10.2): its access log
// to a CSV file, and deleting the meeting after a confirmation. What came of either is a notice.
#include <string>

#include "api_client.hpp"
#include "pending.hpp"

namespace keha::desk {

struct App_state;

class Records_panel {
public:
    // The access log as CSV to `path`; deleting the meeting (the bye room_deleted follows).
    void save_access_log(App_state& app, const std::string& path);
    void delete_meeting(App_state& app);
    void poll(App_state& app);
    bool busy() const { return log_.busy() || deleting_.busy(); }

    void draw(App_state& app);

private:
    std::string path_;
    Pending<Api_answer<std::string>> log_;  // the access log as CSV
    Pending<Api_answer<bool>> deleting_;
    bool confirm_delete_ = false;
};

}  // namespace keha::desk
