#pragma once
// Where keha-desk remembers, per server and room, the resume token of the person it joined
// as, so that starting keha-desk again rejoins as the same participant (docs/desktop-client.md).
// One file per server and room under $XDG_STATE_HOME/keha/tokens (else ~/.local/state/keha),
// readable by its owner only.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "keha/json.hpp"

namespace keha::desk {

// $XDG_STATE_HOME/keha, else $HOME/.local/state/keha; empty when neither is set.
std::filesystem::path default_state_dir();

class Resume_tokens {
public:
    explicit Resume_tokens(std::filesystem::path state_dir) : dir_(std::move(state_dir)) {}

    // What is remembered for the room on that server ("http://host:port"): the token and the
    // name the person joined with (another name at the same computer is another person).
    struct Remembered {
        std::string token, name;
    };
    std::optional<Remembered> load(std::string_view server, std::string_view code) const;
    // Remembers them (folder 0700, file 0600); false when it could not be written.
    bool save(std::string_view server, std::string_view code, std::string_view token, std::string_view name = {}) const;
    void forget(std::string_view server, std::string_view code) const;

private:
    std::filesystem::path file_for(std::string_view server, std::string_view code) const;
    std::filesystem::path dir_;
};

// A personal rejoin link shown on a participant's own screen ("use on another device"):
// "https://host/r/K7Q4MXP2#token=…". The code (normalized) and the token, or nothing.
struct Rejoin_link {
    std::string code, token;
};
std::optional<Rejoin_link> parse_rejoin_link(std::string_view text);
// The link for this person as the browser builds it: base + "/r/" + code + "#token=" + the
// token (percent-encoded as encodeURIComponent does). The token stays in the fragment, which
// no browser sends to a server.
std::string make_rejoin_link(std::string_view base, std::string_view code, std::string_view token);

// The server's answer to {"type":"rejoin_code"}: the code and until when it works (server clock).
struct Rejoin_offer {
    std::string code;
    std::int64_t expires_at_ms = 0;
};
std::optional<Rejoin_offer> parse_rejoin_offer(const json& message);
// "14:35": a moment in the local clock's hours and minutes (server time minus the offset).
std::string local_clock_text(std::int64_t server_ms, std::int64_t server_offset_ms);

// A rejoin code as typed ("abcde-fghjk"): ten characters of the room codes' alphabet,
// dashes and spaces ignored; upper case, or nothing when it is not one.
std::optional<std::string> parse_rejoin_code(std::string_view text);

}  // namespace keha::desk
