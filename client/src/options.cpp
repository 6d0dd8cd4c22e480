#include "options.hpp"

#include <CLI/CLI.hpp>
#include <cstdio>

#include "keha/state.hpp"

namespace keha::desk {

std::optional<int> parse_options(int argc, char** argv, Options& o)
{
    CLI::App app{"keha-desk: the Kehä desktop client (facilitator console, participant view, projector)"};
    app.add_option("--server", o.server, "Server address, e.g. http://127.0.0.1:8080 or https://keha.example.fi");
    app.add_option("--ca-file", o.ca_file, "With https: trust the CA certificate(s) in this PEM file instead of the system's")
        ->envname("KEHA_CA_FILE")->check(CLI::ExistingFile);
    app.add_option("--room", o.room, "Join code of the room (K7Q4-MXP2)");
    app.add_option("--name", o.name, "Your name (1-60 characters)");
    app.add_option("--group", o.group, "Your group")
        ->check(CLI::IsMember(std::vector<std::string>(std::begin(keha::participant_groups), std::end(keha::participant_groups))));
    app.add_option("--facilitator-key", o.facilitator_key, "Join as the facilitator")->envname("KEHA_FACILITATOR_KEY");
    app.add_option("--screen-key", o.screen_key, "Join as a read-only screen")->envname("KEHA_SCREEN_KEY");
    app.add_option("--token", o.token, "Rejoin as the participant this resume token belongs to")->envname("KEHA_TOKEN");
    app.add_flag("--projector", o.projector, "Projector view: full screen, large type, read-only");
    auto* fullscreen = app.add_option("--fullscreen", o.fullscreen, "Full screen on a monitor (0 = primary)")
                           ->expected(0, 1);
    app.add_flag("--hide-names", o.hide_names, "Projector: show no names");
    app.add_flag("--chime", o.chime, "Projector: a short chime when a time box ends");
    app.add_option("--lang", o.lang, "Language of the interface")->check(CLI::IsMember({"fi", "sv", "en"}));
    app.add_option("--frames", o.frames, "With --screenshot: frames to render once the room is in")
        ->check(CLI::Range(1, 100000));
    app.add_option("--screenshot", o.screenshot, "Write the window's pixels to this PNG and exit");
    app.add_option("--screenshot-at-exit", o.screenshot_at_exit,
                   "Write the window's last pixels to this PNG when keha-desk ends (the window closed, or SIGTERM)");
    app.add_option("--bench-frames", o.bench_frames, "Print CPU time per projector frame of a synthetic room")
        ->check(CLI::Range(1, 1000000));
    app.add_option("--bench-items", o.bench_items, "Items in the synthetic room of --bench-frames")
        ->check(CLI::Range(0, 100000));
    std::string size;
    app.add_option("--size", size, "Window size, WxH");
    app.add_option("--tab", o.tab, "Console: the tab to open with (lobby: the list of those waiting, from the top bar); participant: device (use on another device)")
        ->check(CLI::IsMember({"meeting", "people", "approval", "settings", "history", "process", "lobby", "device"}));
    app.add_option("--import-from", o.import_from, "Console: import the timeline and plan of this meeting of the room's process once in");
    app.add_option("--history-seq", o.history_seq, "Console: show the boards as they stood at this seq");
    app.add_option("--export-to", o.export_to, "Console: export the notes to this file (.md, .html or .json) once in");
    app.add_option("--access-log-to", o.access_log_to, "Console: save the meeting's access log (CSV) to this file once in");
    app.add_option("--assets", o.assets, "Asset directory (with i18n/)")->envname("KEHA_ASSETS");
    try {
        app.parse(argc, argv);
        if (fullscreen->count() > 0 && !o.fullscreen) o.fullscreen = 0;
        if (!size.empty()) {
            int w = 0, h = 0;
            if (std::sscanf(size.c_str(), "%dx%d", &w, &h) != 2 || w < 200 || h < 150 || w > 16384 || h > 16384)
                throw CLI::ValidationError("--size", "expected WxH, e.g. 1280x800");
            o.width = w;
            o.height = h;
        }
        if (!o.screenshot.empty() && o.frames == 0) o.frames = 3;
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    }
    return std::nullopt;
}

}  // namespace keha::desk
