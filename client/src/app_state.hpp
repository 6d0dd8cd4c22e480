#pragma once
// The one application state the views are drawn from and act on. No view keeps state of
// its own beyond a layout cache; no function-local statics.
#include <array>
#include <map>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "document.hpp"
#include "fonts.hpp"
#include "api_client.hpp"
#include "image.hpp"
#include "lobby_notices.hpp"
#include "net_client.hpp"
#include "options.hpp"
#include "pending.hpp"
#include "resume_tokens.hpp"
#include "strings.hpp"
#include "timebox.hpp"
#include "url.hpp"

namespace keha::desk {

enum class Face { start, console, participant, projector };

struct Notice {
    std::string text;
    double until = 0;
    bool error = false;
};

// What the add form or the edit dialog holds for one item.
struct Item_draft {
    std::string column;
    std::string text, when, sector, who, with, due, turn, organisation;
    std::string status = "proposed";
    bool hidden = false;
};

struct Edit_state {
    bool open = false;
    std::string board, id;
    Item_draft draft;
};

struct Decline_state {
    bool open = false;
    std::string board, id, reason;
};

struct Export_state {
    std::string path;
    std::string format = "md";
    int names = 0;                        // index into export_name_policies
    std::optional<std::uint64_t> seq;     // the notes as of this seq (history)
    Pending<Api_answer<std::vector<Identity_code_hit>>> checking;
    Pending<Api_answer<std::string>> pending;  // the notes themselves
    // The check found something (or could not run): the facilitator decides.
    bool confirm = false;
    bool check_failed = false;
    std::vector<Identity_code_hit> hits;
    std::string message;
    bool error = false;
    bool busy() const { return checking.busy() || pending.busy(); }
};
// The meeting's records (console): its access log to a file, and deleting the meeting.
struct Records_state {
    std::string path;
    Pending<Api_answer<std::string>> log;  // the access log as CSV
    Pending<Api_answer<bool>> deleting;
    bool confirm_delete = false;
};
// "" (the room's setting), then the name policies of docs/protocol.md §10.1.
inline constexpr const char* export_name_policies[] = {"", "full", "initials", "groups"};

// The facilitator stepping through the meeting's history (docs/protocol.md §10.3).
struct History_state {
    bool open = false;                  // the console's History tab is showing
    bool viewing = false;               // the boards show the past instead of the live room
    Pending<Api_answer<History_list>> listing;
    Pending<Api_answer<History_state_at>> loading;
    std::vector<History_op> ops;
    std::uint64_t last_seq = 0;
    int index = 0;                      // slider: 0 = the room as created, i = ops[i-1]
    std::optional<std::uint64_t> wanted, loaded;  // seqs
    std::string at;                     // the loaded op's time
    Document doc;                       // the state as it stood
    std::string error;
    std::uint64_t seq_at(int i) const { return i <= 0 || ops.empty() ? 0 : ops[static_cast<std::size_t>(std::min<int>(i, static_cast<int>(ops.size())) - 1)].seq; }
};

// The console's Process panel (docs/protocol.md §10.4): GET /api/processes/{id} with the
// facilitator key, the process report to a file, and item.import from an earlier meeting.
struct Process_state {
    std::string id;                      // the process the answer below is for
    Pending<Api_answer<Process_view>> fetching;
    Process_view view;
    bool missing = false;                // 404/403: the room's label names no process we may open
    std::string error;
    std::string report_path;
    Pending<Api_answer<std::string>> report;
    std::string report_message;
    bool report_error = false;
    int from = -1;                       // the meeting chosen to import from (index into view.meetings)
    std::map<std::string, bool> boards;  // the boards chosen to import
    std::optional<std::uint64_t> import_sent_at;  // the seq when item.import was sent (until it lands)
};

struct App_state {
    Options options;
    std::string assets_dir;
    Strings str;
    Fonts fonts;
    // Every character people wrote that this window met (the room's state, what is typed
    // here): the font atlas is built again when one is new (fonts.hpp).
    Text_characters text_seen;
    Face face = Face::start;

    // The room.
    std::optional<Server_url> server;
    std::string code;
    std::string facilitator_key, screen_key;
    std::unique_ptr<Net_client> net;
    Document doc;
    Link link = Link::connecting;
    std::string link_detail;
    bool language_from_room = true;  // no --lang: follow the room's language
    bool bench = false;              // a synthetic room, no network
    std::function<void()> wake;      // wakes the UI thread when the network brings something
    // The person's resume token per server and room, so a restart rejoins as the same person.
    Resume_tokens tokens{default_state_dir()};
    Hello hello_sent;                // what enter_room said, to join afresh if a remembered token is refused
    bool remember_token = false;     // a participant (no key): its token is remembered
    bool token_remembered = false;   // the hello used a remembered token
    std::string token_saved;         // the token last written
    // "Use on another device": the code the server gave this person (shown on this window only).
    std::optional<Rejoin_offer> device_offer;

    // The interface.
    std::string board;            // the board tab shown
    std::string followed_phase;   // the phase whose board the tab last followed
    std::map<std::string, Item_draft> drafts;  // by board
    Edit_state edit;
    std::vector<Notice> notices;
    Lobby_notices lobby_notices;  // console: who is waiting, under the top bar
    float lobby_notices_height = 0;  // layout cache: the other notices go below them
    Export_state exporting;
    Records_state records;
    History_state history;
    std::optional<std::uint64_t> history_goto;  // --history-seq: the seq to show once the list is in
    Process_state process;
    std::string import_from_option;  // --import-from: the meeting the Process panel imports from once
    bool read_only = false;       // the boards are drawing the past (history): no actions
    int timer_minutes = 10;      // the facilitator's timer field
    Timebox_follow timer_follow; // sets it to each phase's, stage's or speaker's time box
    bool hide_names = false;
    bool chime = false;   // projector: a chime when a time box ends (--chime; the console passes its switch on)
    std::string ca_file;  // --ca-file, for every server address used
    std::string open_tab;         // console: a tab to select once (--tab)
    Decline_state decline;
    std::int64_t now_ms = 0;      // local clock this frame
    double time = 0;              // seconds since start
    bool request_fullscreen = false;  // the start screen chose the projector
    std::string qr_for;           // the text the QR below encodes
    Qr qr;

    void enter_room(Server_url server, std::string code, Hello hello, Face face);
    // The HTTP API for this room with the facilitator key; nullopt without a server or key.
    std::optional<Api_client> api() const;
    // Sends a command; errors come back as notices.
    void send(const std::string& cmd, json args);
    // Takes what the network brought and applies it to the document.
    void pump();
    void remember_token_of(const json& message, std::string_view type);
    Apply_result take_welcome(const json& welcome);
    void notify(std::string text, bool error = false);
    std::int64_t server_now() const;
    std::string display_code() const;  // "K7Q-4MX"
    std::string group_label(const std::string& group) const;
    // Whether this window shows no names of others: the projector with --hide-names, or
    // anyone but a facilitator while the room hides them.
    bool names_hidden() const;
    // A person as this window may show them: the name, or their group when names are hidden.
    std::string person_label(const std::string& pid) const;
    // People as a line: "Maija, Aino" or, names hidden, "Ammattilainen ×2, Johtaja".
    std::string people_line(const std::vector<std::string>& pids) const;
    // Remaining time of the room's timer on the server's clock.
    std::optional<std::int64_t> timer_remaining() const;
    bool online() const { return !read_only && (bench || link == Link::online); }
    void set_language(const std::string& lang);
    // Checks for identity codes, then (nothing found, or confirmed) writes the notes.
    void start_export(const std::string& format, const std::string& path, std::optional<std::uint64_t> seq = {});
    void confirm_export();  // export anyway after the warning
    void cancel_export();
    void poll_export();
    // The access log as CSV to `path`; deleting the meeting (the bye room_deleted follows).
    void save_access_log(const std::string& path);
    void delete_meeting();
    void poll_records();
    // History: the list of ops, then the state at a seq.
    void open_history();
    void load_history(std::uint64_t seq);
    void poll_history();
    // The room's process id (room.process), "" when none.
    std::string room_process() const;
    // Process panel: fetch the process, the report to a file, import from a meeting.
    void open_process();
    void start_process_report(const std::string& format, const std::string& path);
    void choose_import_meeting(int index);  // timeline and plan preselected
    void import_from_meeting();              // item.import {from, boards}
    void poll_process();
    bool process_busy() const;
    void take_process_view(Process_view view);
    // An HTTP answer (export, records, history, process) is on its way.
    bool http_busy() const;
    // Starts `keha-desk --projector` for this room on another monitor.
    bool open_projector_window();
};

}  // namespace keha::desk
