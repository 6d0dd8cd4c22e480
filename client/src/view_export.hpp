#pragma once
// The console's export of the notes (docs/protocol.md §10.1): the file's path and the names
// policy, the identity-code check first and the facilitator's decision when it finds
// something, then the notes written to the file. Live or as of a past seq (the history).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "api_client.hpp"
#include "pending.hpp"

namespace keha::desk {

struct App_state;
class Document;

// "" (the room's setting), then the name policies of docs/protocol.md §10.1.
inline constexpr const char* export_name_policies[] = {"", "full", "initials", "groups"};

class Export_panel {
public:
    // Checks for identity codes, then (nothing found, or confirmed) writes the notes to `path`.
    void start(App_state& app, const std::string& format, const std::string& path,
               std::optional<std::uint64_t> seq = {});
    void confirm(App_state& app);  // export anyway after the warning
    void cancel(App_state& app);
    void poll(App_state& app);
    bool busy() const { return checking_.busy() || notes_.busy(); }

    // The check found something (or could not run): the facilitator is asked.
    bool asking() const { return confirm_; }
    bool check_failed() const { return check_failed_; }
    const std::vector<Identity_code_hit>& hits() const { return hits_; }
    // Of the live room: one line a board whose notes written privately are not revealed yet,
    // which the notes leave out (the facilitator is asked first).
    const std::vector<std::string>& unrevealed() const { return unrevealed_; }
    // The seq the export is for (nullopt: the live room).
    std::optional<std::uint64_t> seq() const { return seq_; }
    // What came of the last export, for the facilitator ("saved to …", why not).
    const std::string& message() const { return message_; }
    bool failed() const { return error_; }

    // Path, names and the format buttons; the notes as of `seq` (history). `id` keeps two
    // copies (the Room tab's, the History tab's) apart.
    void controls(App_state& app, std::optional<std::uint64_t> seq, const char* id);
    // The warning before the file is written: where identity codes are (in `doc`, the state the
    // export is of), which boards hold notes not revealed yet; cancel or export anyway.
    void warning(App_state& app, const Document& doc);

private:
    std::string path_;
    std::string format_ = "md";
    int names_ = 0;                     // index into export_name_policies
    std::optional<std::uint64_t> seq_;  // the notes as of this seq (history)
    Pending<Api_answer<std::vector<Identity_code_hit>>> checking_;
    Pending<Api_answer<std::string>> notes_;
    bool confirm_ = false;
    bool check_failed_ = false;
    std::vector<Identity_code_hit> hits_;
    std::vector<std::string> unrevealed_;
    std::string message_;
    bool error_ = false;
};

}  // namespace keha::desk
