#pragma once
// What most tests need: a server shared by the test binary, rooms made over HTTP, and
// members — connections that said hello and keep the state their welcome and patches give.
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "support/http_client.hpp"
#include "support/server_process.hpp"
#include "support/ws_client.hpp"

namespace keha::itest {

// One keha-server per test binary (started on first use, killed at exit).
Server_process& shared_server();

struct Room_keys {
    std::string code, facilitator_key, screen_key;
};
Room_keys create_room(std::uint16_t port, const json& body = {{"title", "Integration test"}, {"language", "en"}});

json hello_message(const std::string& code, json fields);
inline json as_participant(const std::string& name, const std::string& group = "professional")
{
    return {{"name", name}, {"group", group}};
}
inline json with_key(const std::string& key) { return {{"key", key}}; }
inline json with_token(const std::string& token) { return {{"token", token}}; }
inline json with_token(const std::string& token, std::uint64_t since) { return {{"token", token}, {"since", since}}; }

std::string next_command_id();
json do_message(const std::string& id, const std::string& cmd, const json& args = json::object());

// A connection that said hello and got its welcome. Every message after the welcome is
// taken through next(), which applies patches to `state` and checks that their seqs follow
// each other without gaps.
class Member {
public:
    // Throws std::runtime_error if the answer to the hello is not a welcome. With `base`
    // (the state at `since`), a replay is applied to it to give `state`.
    Member(std::uint16_t port, const std::string& code, json fields, Ws_client::Options options = {},
           std::optional<json> base = std::nullopt);

    Ws_client ws;
    json welcome;
    std::string you, role, token;
    std::uint64_t seq = 0;         // the last seq seen: the welcome's, then each patch's
    json state;                    // null when the welcome carried a replay and no base was given
    std::vector<json> messages;    // everything after the welcome, in order
    std::vector<json> patches;     // the patch messages among them
    int gaps = 0;                  // patches whose seq did not follow the previous one
    std::map<std::string, json> replies;  // acks and errors by do.id (a reply may overtake another's)

    json next(std::chrono::milliseconds timeout = default_timeout);  // throws on timeout
    std::optional<json> try_next(std::chrono::milliseconds timeout);
    std::string send(const std::string& cmd, const json& args = json::object());  // returns the do.id
    json reply(const std::string& id, std::chrono::milliseconds timeout = default_timeout);  // ack or error
    json run(const std::string& cmd, const json& args = json::object());  // send, then reply
    std::uint64_t ok(const std::string& cmd, const json& args = json::object());  // run; throws unless ack; the seq
    void catch_up(std::uint64_t to_seq, std::chrono::milliseconds timeout = default_timeout);
    // Takes messages until none comes for `quiet`.
    void settle(std::chrono::milliseconds quiet = 150ms);

private:
    void take(const json& message);
};

// A fresh welcome (full state) for the participant behind `token`, on its own connection,
// which is closed again politely.
json fresh_welcome(std::uint16_t port, const std::string& code, const std::string& token);

// The message after the hello on a new connection (an error for a refused hello), and
// whether the server then closed the connection.
struct Hello_answer {
    std::optional<json> message;
    bool closed = false;
};
Hello_answer hello_answer(std::uint16_t port, const json& hello);

// The item with `id` on `board` in `state`, or null.
json item_of(const json& state, const std::string& board, const std::string& id);

}  // namespace keha::itest
