#pragma once
// One WebSocket connection: reads messages, checks their shape and rate, hands them to its
// room, and writes what the room sends through a bounded queue.
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "address_limits.hpp"
#include "connection_stream.hpp"
#include "keha/json.hpp"
#include "net.hpp"
#include "open_connections.hpp"
#include "options.hpp"
#include "public_url.hpp"
#include "room_registry.hpp"
#include "websocket_frames.hpp"

namespace keha::server {

class Room;
class Websocket_session;
struct Server_context;

// Backpressure (docs/architecture.md, "Flow control"): a member is not read while its queue,
// or its room's work in hand, is over the first; reading resumes at or below the second.
std::size_t pause_reading_at(const Options& options);
std::size_t resume_reading_at(const Options& options);

// While one lives on a thread (a room's piece of work), what is sent to a session on that
// thread is handed over when it ends: one post per member per batch, not one per message.
class Send_batch {
public:
    Send_batch();
    ~Send_batch();
    Send_batch(const Send_batch&) = delete;
    Send_batch& operator=(const Send_batch&) = delete;

private:
    std::vector<std::shared_ptr<Websocket_session>> sessions_;
    bool outermost_ = false;
};

class Websocket_session : public std::enable_shared_from_this<Websocket_session> {
public:
    // `client`: the client address of the upgrade request (client_address.hpp); `wall`: the
    // join address its welcome gives (public_url.hpp).
    Websocket_session(Connection_stream&& stream, Server_context& context, net::ip::address client, Wall_address wall);
    ~Websocket_session();

    // The connection's place in its address's count, held until the session ends.
    void keep(Connection_slot slot) { slot_ = std::move(slot); }
    void run(http::request<http::string_body> request);

    // Thread-safe; called by the room. In the order called, whatever the thread.
    void send(Shared_text message) { deliver(std::move(message), false); }
    void send_and_close(Shared_text message) { deliver(std::move(message), true); }  // a last message (bye, error), then close
    void resume_reading();                     // after the welcome
    void room_uncongested();                   // the room's load is below its watermark again
    const std::string& peer() const { return peer_; }  // the client's address
    const std::string& limit_key() const { return address_; }  // the address as the limits count it
    const Wall_address& wall() const { return wall_; }
    // Closes the connection now (Open_connections); on the session's strand.
    void close_now();

private:
    friend class Send_batch;
    struct Incoming {
        Shared_text text;
        bool last;  // then close
    };
    void deliver(Shared_text message, bool last);
    void post_drain();
    void drain_inbox();
    void close_after(Shared_text message);

    void on_accept(beast::error_code ec);
    // Reads the next message unless reading waits: for the welcome, or for the member's own
    // queue or its room's load to come below their watermarks (backpressure).
    void read_more();
    void on_read(beast::error_code ec, std::size_t bytes);
    void on_message(const std::string& text);
    void on_hello(const json& message);
    void on_room(const json& message, Room_registry::Acquired acquired);  // the room hello named, or why not
    bool take_token();  // the rate limit: false when the member is over it
    void refuse_for_rate(const json& id);

    void queue(Shared_text message);  // push, and write if nothing is being written
    void push(Shared_text message);   // onto the queue, or bye slow_consumer when it is full
    std::size_t queued() const { return queue_.size() + sending_.size(); }
    void do_write();
    void on_write(beast::error_code ec, std::size_t bytes);
    void resume_reading_if_drained();  // reads again once what waits to be written is down
    void do_close();
    void fail(beast::error_code ec, const char* what);

    websocket::stream<Connection_stream> ws_;
    net::ip::address client_;
    std::string peer_;  // client_ as text, for the access log
    std::string address_;  // client_ as the per-address limits count it (address_limits.hpp)
    Wall_address wall_;
    beast::flat_buffer buffer_;
    Server_context& context_;
    std::shared_ptr<Room> room_;
    std::optional<std::string> room_in_url_;  // `room` of `/ws?room=CODE`; a hello must name that room
    std::mutex inbox_mutex_;     // what other threads send, until the session's strand takes it
    std::vector<Incoming> inbox_;
    bool drain_due_ = false;     // under inbox_mutex_: a drain is posted or will be
    std::deque<Shared_text> queue_;  // waiting to be written
    Frame_batch sending_;            // being written
    bool writing_ = false;
    bool reading_ = false;       // a read is under way
    bool read_ended_ = false;    // the read side failed or closed: nothing more is written
    bool closing_ = false;       // the last message is queued; read nothing more
    bool close_started_ = false; // the close frame is on its way (async_close called)
    bool hello_done_ = false;
    bool reading_paused_ = false;  // until the room has answered the hello
    bool paused_for_queue_ = false, paused_for_room_ = false;
    double tokens_;
    std::int64_t tokens_at_ms_;
    int strikes_ = 0;            // messages refused in a row for the rate
    bool over_rate_ = false;     // the frame being handled came faster than the rate allows
    Connection_slot slot_;
    net::steady_timer close_timer_;
    Open_connections::Entry listed_;
};

}  // namespace keha::server
