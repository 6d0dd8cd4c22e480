#pragma once
// The console's panels that talk to the server's HTTP API (docs/protocol.md §10): the notes'
// export, the meeting's records, its history and its process. Each keeps its own state — what
// is on its way (a Pending), what the facilitator chose or typed, what came back — and is
// drawn by the console (and, for the history, by the boards). App_state holds none of it.
#include <cstdint>
#include <optional>
#include <string>

#include "api_client.hpp"
#include "strings.hpp"
#include "view_export.hpp"
#include "view_history.hpp"
#include "view_process.hpp"
#include "view_records.hpp"

namespace keha::desk {

struct App_state;

struct Console_panels {
    Export_panel exporting;
    Records_panel records;
    History_panel history;
    Process_panel process;

    // Between frames: what their calls brought (and the room's process fetched once it names one).
    void poll(App_state& app);
    // An answer is still on its way (a scripted screenshot waits for it).
    bool busy(const App_state& app) const;
};

// Why a call failed, for a person: no answer at all, or `failed_key` with the server's code.
std::string failure_text(const Strings& str, int status, const std::string& error, const char* failed_key);
template <class T>
std::string failure_text(const Strings& str, const Api_answer<T>& answer, const char* failed_key)
{
    return failure_text(str, answer.status, answer.error, failed_key);
}

// Writes what the server made to `path`; false when the file could not be written.
bool save_file(const std::string& path, const std::string& bytes);

// `path` with its extension replaced by `format` ("muistio.md" → "muistio.html"); with `seq`,
// "-<seq>" before it unless the name already ends so (the notes as of a past seq).
std::string path_for_format(std::string path, const std::string& format, std::optional<std::uint64_t> seq = {});

}  // namespace keha::desk
