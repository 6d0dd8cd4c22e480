#pragma once
// One WebSocket connection: reads messages, checks their shape and rate, hands them to its
// room, and writes what the room sends through a bounded queue.
#include <deque>
#include <memory>
#include <optional>
#include <string>

#include "address_limits.hpp"
#include "connection_stream.hpp"
#include "keha/json.hpp"
#include "net.hpp"
#include "open_connections.hpp"
#include "public_url.hpp"
#include "room_registry.hpp"

namespace keha::server {

class Room;
struct Server_context;

class Websocket_session : public std::enable_shared_from_this<Websocket_session> {
public:
    // `client`: the client address of the upgrade request (client_address.hpp); `wall`: the
    // join address its welcome gives (public_url.hpp).
    Websocket_session(Connection_stream&& stream, Server_context& context, net::ip::address client, Wall_address wall);
    ~Websocket_session();

    // The connection's place in its address's count, held until the session ends.
    void keep(Connection_slot slot) { slot_ = std::move(slot); }
    void run(http::request<http::string_body> request);

    // Thread-safe; called by the room.
    void send(Shared_text message);
    void send_and_close(Shared_text message);  // a last message (bye, error), then close
    void resume_reading();                     // after the welcome
    const std::string& peer() const { return peer_; }  // the client's address
    const std::string& limit_key() const { return address_; }  // the address as the limits count it
    const Wall_address& wall() const { return wall_; }
    // Closes the connection now (Open_connections); on the session's strand.
    void close_now();

private:
    void on_accept(beast::error_code ec);
    void do_read();
    void on_read(beast::error_code ec, std::size_t bytes);
    void on_message(const std::string& text);
    void on_hello(const json& message);
    void on_room(const json& message, Room_registry::Acquired acquired);  // the room hello named, or why not
    bool take_token();  // the rate limit: false when the member is over it
    void refuse_for_rate(const json& id);

    void queue(Shared_text message);
    void do_write();
    void on_write(beast::error_code ec, std::size_t bytes);
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
    std::deque<Shared_text> queue_;
    bool writing_ = false;
    bool closing_ = false;       // the last message is queued; read nothing more
    bool hello_done_ = false;
    bool reading_paused_ = false;
    double tokens_;
    std::int64_t tokens_at_ms_;
    int strikes_ = 0;            // messages refused in a row for the rate
    bool over_rate_ = false;     // the frame being handled came faster than the rate allows
    Connection_slot slot_;
    net::steady_timer close_timer_;
    Open_connections::Entry listed_;
};

}  // namespace keha::server
