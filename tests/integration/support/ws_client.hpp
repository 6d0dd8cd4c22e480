#pragma once
// A Beast WebSocket client for the tests. It runs on its own io_context thread: a reader
// loop parses every message into a locked queue that recv() waits on, and send() posts to
// the client's strand with one write in flight. A client made with `read = false` reads
// nothing at all (a stuck laptop) until start_reading().
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace keha::itest {

using json = nlohmann::json;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

inline constexpr std::chrono::milliseconds default_timeout = 5000ms;

class Ws_client {
public:
    struct Options {
        bool read = true;
        int receive_buffer = 0;  // SO_RCVBUF before connecting; 0 leaves the default
        std::string target = "/ws";
    };
    struct Received {
        json message;      // parsed; a frame that is not JSON arrives as {"__raw": text}
        Clock::time_point at;
    };

    explicit Ws_client(std::uint16_t port) : Ws_client(port, Options{}) {}
    Ws_client(std::uint16_t port, Options options);
    ~Ws_client();
    Ws_client(const Ws_client&) = delete;
    Ws_client& operator=(const Ws_client&) = delete;

    void send(std::string text);
    void send(const json& message) { send(message.dump()); }
    void send(const char* text) { send(std::string(text)); }

    // The next message, or nothing if none came within `timeout` (or the connection ended).
    std::optional<json> recv(std::chrono::milliseconds timeout = default_timeout);
    std::optional<Received> recv_timed(std::chrono::milliseconds timeout = default_timeout);
    // True once the connection has ended and every message before the end was taken.
    bool wait_closed(std::chrono::milliseconds timeout = default_timeout);
    bool closed() const;
    // The close code the server sent in its close frame, if it sent one.
    std::optional<int> close_code() const;
    std::size_t waiting() const;
    std::string end_reason() const;  // the error that ended the reader loop
    std::size_t bytes_written() const;

    void start_reading();
    // A polite close (close frame both ways), bounded in time.
    void close();

private:
    void do_read();
    void do_write();
    void finish(const boost::beast::error_code& ec);

    boost::asio::io_context ioc_;
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
    boost::beast::websocket::stream<boost::beast::tcp_stream> ws_;
    boost::beast::flat_buffer buffer_;
    std::deque<std::string> out_;  // on the strand only
    bool writing_ = false;
    bool reading_ = false;
    std::size_t written_ = 0;

    mutable std::mutex mutex_;
    std::condition_variable cv_;
    std::deque<Received> in_;
    bool ended_ = false;
    std::optional<int> close_code_;
    std::string end_reason_, write_error_;
    std::thread thread_;
};

}  // namespace keha::itest
