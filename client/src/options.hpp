#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace keha::desk {

// The command line of keha-desk. With --server and --room it skips the start screen.
struct Options {
    std::string server;            // "http://host:port" or "https://host:port"
    std::string ca_file;           // https: trust the CAs in this PEM file instead of the system's
    std::string room;              // join code, any case, dash allowed
    std::string name;
    std::string group = "professional";
    std::string facilitator_key;   // also $KEHA_FACILITATOR_KEY
    std::string screen_key;        // also $KEHA_SCREEN_KEY
    std::string token;             // also $KEHA_TOKEN: rejoin as that participant
    bool projector = false;
    std::optional<int> fullscreen; // monitor index (0 = primary)
    bool hide_names = false;       // projector: no names on the wall
    bool chime = false;            // projector: a chime when a time box ends
    std::string lang;              // fi|sv|en; default: the room's language, else fi
    int frames = 0;                // with --screenshot: frames to render once the room is in
    std::string screenshot;        // PNG path
    std::string screenshot_at_exit;  // PNG path written when keha-desk ends (window closed, SIGTERM)
    int bench_frames = 0;          // print CPU time per projector frame and exit
    int bench_items = 1000;        // items in the synthetic room of --bench-frames
    int width = 0, height = 0;     // --size WxH
    std::string assets;            // asset directory (i18n catalogs); found automatically
    std::string tab;               // console: the tab to open with (meeting, people, approval, settings, history, process; lobby: the waiting list)
    std::optional<std::uint64_t> history_seq;  // console: open the history at this seq, boards showing the past
    std::string import_from;       // console: import the timeline and plan of this meeting of the process once in
    std::string export_to;         // console: export the notes to this file once in (.md, .html, .json)
    std::string access_log_to;     // console: save the meeting's access log (CSV) to this file once in
};

// Parses argv; on --help or an error returns the exit code to leave with (after printing).
std::optional<int> parse_options(int argc, char** argv, Options& options);

}  // namespace keha::desk
