#pragma once
// What is the app's: the connection, the room's copy, the language, the API client for the
// room, and what several views share (the board shown, notices, the item being edited).
// A panel's own state — its forms, its HTTP answers on their way — is in its view
// (view_*.hpp); no function-local statics.
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
    Edit_state edit;
    std::vector<Notice> notices;
    Lobby_notices lobby_notices;  // console: who is waiting, under the top bar
    float lobby_notices_height = 0;  // layout cache: the other notices go below them
    bool read_only = false;       // the boards are drawing the past (history): no actions
    int timer_minutes = 10;      // the facilitator's timer field
    int vote_limit_field = 3;    // the facilitator's "votes each" for a vote (view_grouping.hpp)
    int vote_minutes_field = 3;  // ... and its minutes (0: until ended)
    std::string group_title;     // a group being renamed
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
    // Starts `keha-desk --projector` for this room on another monitor.
    bool open_projector_window();
};

}  // namespace keha::desk
