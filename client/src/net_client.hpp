#pragma once
// The network thread: one Beast WebSocket connection to the server, reconnected with
// token + since when it drops. The UI thread never waits on it: it sends commands with
// send() (a post to the network thread) and takes what arrived with take() once a frame
// (swap under the lock, as Tracy's run queue does).
#include <atomic>
#include <functional>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "keha/json.hpp"
#include "url.hpp"

namespace keha::desk {

enum class Link {
    connecting,    // first connection under way
    online,        // welcome received, patches flow
    reconnecting,  // lost; trying again with token + since
    lobby,         // in the room's lobby: a facilitator has not let us in yet
    stopped,       // the server said no for good (unknown room, bad key, removed, closed)
};

struct Hello {
    std::string room;
    std::string name;
    std::string group;
    std::string key;  // facilitator or screen key; empty for a participant
    std::string token;  // rejoin as the participant this resume token belongs to
    std::string rejoin = {};  // a rejoin code from another device (used while there is no token)
};

struct Net_event {
    enum class Kind { link, message };
    Kind kind = Kind::message;
    Link link = Link::connecting;  // for Kind::link
    std::string detail;            // for Kind::link: an error code or bye reason, or ""
    json message;                  // for Kind::message: a server message as received
};

// The WebSocket's request target for `room`: "/ws?room=K7Q4MXP2" (the code normalized), which a
// load balancer routes by (docs/deployment.md); "/ws" when `room` is no well-formed code (the
// server then answers the hello unknown_room).
std::string websocket_target(std::string_view room);

class Net_client {
public:
    // `wake` is called on the network thread whenever something arrives (the UI thread
    // may be asleep waiting for input).
    Net_client(Server_url server, Hello hello, std::function<void()> wake = {});
    ~Net_client();
    Net_client(const Net_client&) = delete;
    Net_client& operator=(const Net_client&) = delete;

    void start();
    // Queues a `do` command; returns its id. When not online the command is not sent and
    // an `error` with code "offline" and this id arrives through take(). One sent but not
    // answered when the connection drops is sent again after the next welcome unless that
    // shows it applied (a replay), or cannot tell (a full state of the same person).
    std::string send(const std::string& cmd, json args);
    // Asks for a rejoin code for this person ({"type":"rejoin_code"}); the answer arrives
    // through take(). Nothing is sent when not online.
    void ask_rejoin_code();
    // Drops the connection and asks for the full state (the local copy went wrong).
    void resync();
    // Everything that arrived since the last call, in order.
    std::vector<Net_event> take();

    Link link() const { return link_.load(); }
    // Server clock minus local clock, from the last ping's pong (0 until then).
    std::int64_t server_offset_ms() const { return offset_ms_.load(); }
    // Round trip of the last ping, or -1.
    std::int64_t rtt_ms() const { return rtt_ms_.load(); }
    int reconnects() const { return reconnects_.load(); }

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
    std::thread thread_;
    std::atomic<Link> link_{Link::connecting};
    std::atomic<std::int64_t> offset_ms_{0};
    std::atomic<std::int64_t> rtt_ms_{-1};
    std::atomic<int> reconnects_{0};
    std::atomic<std::uint64_t> next_id_{1};
    std::mutex mutex_;
    std::vector<Net_event> events_;
    std::function<void()> wake_;

    void push(Net_event event);
    void set_link(Link link, std::string detail);
    friend struct Impl;
};

std::int64_t now_ms();

}  // namespace keha::desk
