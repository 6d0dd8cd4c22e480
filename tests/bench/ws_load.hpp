// The load generator's transport: many WebSocket client connections on one thread and one
// epoll set. Reads are batched (one read() takes every frame a socket holds, up to 256 KiB);
// writes are gathered per connection and flushed once per loop turn, so the generator spends
// few syscalls per message and its own CPU stays small beside the server's (it is measured).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace bench {

std::int64_t now_ns();  // CLOCK_MONOTONIC

class Load;

struct Conn {
    int fd = -1;
    enum class State { connecting, upgrading, open, closed } state = State::connecting;
    std::string out;          // bytes waiting to be written
    std::size_t out_at = 0;   // how much of `out` is written
    std::string in;           // bytes read and not yet taken as frames
    std::string fragments;    // a fragmented message being put together
    std::string first;        // the text to send once the upgrade is answered (the hello)
    bool dirty = false;       // has output and is in the list to flush
    bool welcomed = false;
    int group = 0;            // the scenario's: the room's index
    int index = 0;            // the scenario's: the member's index
    std::int64_t connect_ns = 0;  // when connect() was called
    std::int64_t hello_ns = 0;    // when the hello was queued
    std::string own_item;     // the item this member edits (from its first ack)
};

// What a scenario hears from the connections.
struct Listener {
    std::function<void(Conn&, std::string_view)> message;  // a text message
    std::function<void(Conn&)> closed;                     // the connection ended
};

class Load {
public:
    Load();
    ~Load();
    Load(const Load&) = delete;
    Load& operator=(const Load&) = delete;

    // Opens a connection to 127.0.0.1:port, upgrades it on /ws and then sends `first`.
    Conn& connect(unsigned short port, std::string first, int group, int index);
    void send(Conn& c, std::string_view text);  // one masked text frame, written at the turn's end
    void close(Conn& c);
    // Runs the loop until `done()` or `deadline_ns`; `tick` runs every turn (pacing).
    bool run_until(const std::function<bool()>& done, std::int64_t deadline_ns,
                   const std::function<void()>& tick = {}, int max_wait_ms = 5);
    std::size_t connecting() const { return connecting_; }
    std::vector<Conn*>& conns() { return conns_; }
    Listener listener;
    std::uint64_t read_calls = 0, write_calls = 0, messages = 0;

private:
    void on_event(Conn& c, std::uint32_t events);
    void on_readable(Conn& c);
    void take_upgrade(Conn& c);
    void take_frames(Conn& c);
    void flush(Conn& c);
    void flush_dirty();
    void want_write(Conn& c, bool on);
    int epoll_ = -1;
    std::vector<Conn*> conns_;
    std::vector<Conn*> dirty_;
    std::vector<char> buffer_;
    std::size_t connecting_ = 0;
    unsigned short port_ = 0;
};

}  // namespace bench
