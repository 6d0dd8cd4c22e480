#pragma once
// The server's HTTP API (docs/protocol.md §2, §10) as keha-desk uses it: one typed call per
// endpoint, each answer parsed here. The calls block; the UI runs them through a Pending
// (pending.hpp) so it never waits on them.
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "http_client.hpp"
#include "keha/json.hpp"
#include "url.hpp"

namespace keha::desk {

// An answer: the value when the server gave one we could read; else the status (0 when no
// answer arrived) and the error code (a transport error, the server's {"error"}, or
// "bad_response").
template <class T>
struct Api_answer {
    int status = 0;
    std::string error;
    std::optional<T> value;
    bool ok() const { return value.has_value(); }
};

// One place where GET /api/rooms/{code}/export/check found something that looks like a
// Finnish personal identity code (the code itself is never sent).
struct Identity_code_hit {
    std::string board;   // a board name, "room", "participants" or "consent"
    std::string id;      // item id or pid ("" for the room and the consent)
    std::string field;   // "text", a board field, "title", "name"
    bool hidden = false; // a hidden or held item: stored, but not in the notes
};
// The check's answer parsed; nullopt when it is not one (then the client cannot tell).
std::optional<std::vector<Identity_code_hit>> identity_code_hits(const json& check);

// GET /api/rooms/{code}/history (no seq): the seqs a slider runs over.
struct History_op {
    std::uint64_t seq = 0;
    std::string cmd, at;
};
std::vector<History_op> history_ops(const json& answer);
struct History_list {
    std::vector<History_op> ops;
    std::uint64_t last_seq = 0;
};
// GET /api/rooms/{code}/history?seq=N: the room's state as it stood after op N.
struct History_state_at {
    std::uint64_t seq = 0;
    json state;
    std::string at;  // the op's time
};

// GET /api/processes/{id} as the console's Process panel shows it: the meetings in order and
// the questionnaire's medians across them (docs/protocol.md §10.4).
struct Process_meeting {
    std::string code, title, team, date, status;  // date: YYYY-MM-DD of started_at, else created_at
    // agreements: made in this meeting; reaffirmed: made earlier in the process, agreed here again.
    int participants = 0, items = 0, agreements = 0, reaffirmed = 0, commitments = 0, ratings_answered = 0;
    std::vector<std::pair<std::string, int>> boards;  // items per board (what an import can bring)
};
struct Ratings_series {
    std::string id, text;  // the question (the text of its latest published appearance)
    // One value per meeting, in the meetings' order; nullopt where the meeting has no published
    // results, or published but suppressed (overall or for this question).
    std::vector<std::optional<double>> medians;
};
struct Process_view {
    bool valid = false;
    std::string id, title;
    std::vector<std::string> teams;
    std::vector<Process_meeting> meetings;
    std::vector<Ratings_series> ratings;  // questions in order of first appearance
    int agreements = 0, commitments = 0;
    json source;  // the answer as it came (its letters reach the fonts)
};
Process_view process_view(const json& answer, std::string_view language = "fi");

// POST /api/rooms -> {"code","facilitator_key","screen_key"}.
struct Created_room {
    std::string code, facilitator_key, screen_key;
};

// The notes as GET /api/rooms/{code}/export serves them (docs/protocol.md §10.1).
struct Export_request {
    std::string format = "md";     // md, html, json
    std::string names;             // "" (the room's setting), full, initials, groups
    std::optional<std::uint64_t> seq;  // as of this seq (history)
    std::string language;          // the notes' language
};

// A server, the bearer key the calls carry (a facilitator key; the organizer key for
// creating a room) and the room they are about. Cheap to copy into a worker.
class Api_client {
public:
    Api_client() = default;
    Api_client(Server_url server, std::string key, std::string room = {})
        : server_(std::move(server)), key_(std::move(key)), room_(std::move(room))
    {
    }

    // GET /api/templates: the server's meeting templates (a JSON array).
    Api_answer<json> templates() const;
    // POST /api/rooms with the organizer key (a server with one answers 401 without it and
    // 403 for a wrong one).
    Api_answer<Created_room> create_room(const std::string& title, const std::string& template_id,
                                         const std::string& language) const;

    // The room's notes: the identity-code check first, then the file itself (its bytes).
    Api_answer<std::vector<Identity_code_hit>> export_check(std::optional<std::uint64_t> seq) const;
    Api_answer<std::string> export_notes(const Export_request& request) const;
    // The meeting's access log as CSV; deleting the meeting.
    Api_answer<std::string> access_log_csv() const;
    Api_answer<bool> delete_room() const;
    // The meeting's history: its ops, and the state after one of them.
    Api_answer<History_list> history() const;
    Api_answer<History_state_at> history_at(std::uint64_t seq) const;
    // The room's process and its report (its bytes).
    Api_answer<Process_view> process(const std::string& id, const std::string& language) const;
    Api_answer<std::string> process_report(const std::string& id, const std::string& format,
                                           const std::string& language) const;

private:
    std::string room_path() const { return "/api/rooms/" + room_; }

    Server_url server_;
    std::string key_;
    std::string room_;
};

}  // namespace keha::desk
