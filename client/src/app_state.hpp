#pragma once
// The one application state the views are drawn from and act on. No view keeps state of
// its own beyond a layout cache; no function-local statics.
#include <array>
#include <map>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "document.hpp"
#include "fonts.hpp"
#include "http_client.hpp"
#include "image.hpp"
#include "net_client.hpp"
#include "options.hpp"
#include "strings.hpp"
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
    std::string text, when, sector, who, with, due, turn;
    std::string status = "proposed";
    bool hidden = false;
};

struct Edit_state {
    bool open = false;
    std::string board, id;
    Item_draft draft;
};

struct Start_form {
    std::string server = "http://127.0.0.1:8080";
    std::string title;
    int template_index = 0;
    int language = 0;  // fi, sv, en
    std::string code, name, screen_key, facilitator_key;
    int group = 0;     // professional, leader, expert, other
    std::future<Create_result> creating;
    std::future<Http_response> templates;
    std::string templates_for;  // server the list was asked from
    json template_list = json::array();
    std::string error;
};

struct Export_state {
    std::string path;
    std::string format = "md";
    std::future<Http_response> pending;
    std::string message;
    bool error = false;
};

struct App_state {
    Options options;
    std::string assets_dir;
    Strings str;
    Fonts fonts;
    Face face = Face::start;
    Start_form start;

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

    // The interface.
    std::string board;            // the board tab shown
    std::string followed_phase;   // the phase whose board the tab last followed
    std::map<std::string, Item_draft> drafts;  // by board
    Edit_state edit;
    std::vector<Notice> notices;
    Export_state exporting;
    int timer_minutes = 0;       // 0: the current phase's timebox
    bool hide_names = false;
    bool confirm_close = false;
    std::string confirm_remove;   // pid
    std::int64_t now_ms = 0;      // local clock this frame
    double time = 0;              // seconds since start
    bool request_fullscreen = false;  // the start screen chose the projector
    std::string qr_for;           // the text the QR below encodes
    Qr qr;

    void enter_room(Server_url server, std::string code, Hello hello, Face face);
    // Sends a command; errors come back as notices.
    void send(const std::string& cmd, json args);
    // Takes what the network brought and applies it to the document.
    void pump();
    void notify(std::string text, bool error = false);
    std::int64_t server_now() const;
    std::string display_code() const;  // "K7Q-4MX"
    std::string group_label(const std::string& group) const;
    bool online() const { return bench || link == Link::online; }
    void set_language(const std::string& lang);
    void start_export(const std::string& format, const std::string& path);
    void poll_export();
    // Starts `keha-desk --projector` for this room on another monitor.
    bool open_projector_window();
};

// A room with `items` items on the timeline (the current phase), hands up and a running
// timer: what --bench-frames draws.
json synthetic_state(int items, std::int64_t now_ms);

}  // namespace keha::desk
