#include "support/ws_client.hpp"

#include <future>
#include <memory>
#include <stdexcept>

namespace keha::itest {
namespace net = boost::asio;
namespace beast = boost::beast;
namespace websocket = boost::beast::websocket;
using tcp = net::ip::tcp;

Ws_client::Ws_client(std::uint16_t port, Options options)
    : work_(net::make_work_guard(ioc_)), ws_(net::make_strand(ioc_))
{
    auto& sock = beast::get_lowest_layer(ws_).socket();
    sock.open(tcp::v4());
    if (options.receive_buffer > 0) sock.set_option(net::socket_base::receive_buffer_size(options.receive_buffer));
    beast::get_lowest_layer(ws_).expires_after(std::chrono::seconds(10));
    beast::get_lowest_layer(ws_).connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
    sock.set_option(tcp::no_delay(true));
    ws_.handshake("127.0.0.1:" + std::to_string(port), options.target);
    beast::get_lowest_layer(ws_).expires_never();
    ws_.read_message_max(64 * 1024 * 1024);
    ws_.auto_fragment(false);
    ws_.text(true);
    thread_ = std::thread([this] { ioc_.run(); });
    if (options.read) start_reading();
}

Ws_client::~Ws_client()
{
    net::post(ws_.get_executor(), [this] {
        beast::error_code ec;
        beast::get_lowest_layer(ws_).socket().shutdown(tcp::socket::shutdown_both, ec);
        beast::get_lowest_layer(ws_).socket().close(ec);
    });
    work_.reset();
    // Give the aborted operations a moment to finish, then stop whatever is left.
    net::post(ioc_, [this] {
        net::post(ioc_, [this] { ioc_.stop(); });
    });
    thread_.join();
}

void Ws_client::start_reading()
{
    net::post(ws_.get_executor(), [this] {
        if (reading_) return;
        reading_ = true;
        do_read();
    });
}

void Ws_client::do_read()
{
    ws_.async_read(buffer_, [this](beast::error_code ec, std::size_t) {
        if (ec) return finish(ec);
        std::string text = beast::buffers_to_string(buffer_.data());
        buffer_.consume(buffer_.size());
        json parsed = json::parse(text, nullptr, false);
        if (parsed.is_discarded()) parsed = json{{"__raw", text}};
        {
            std::lock_guard lock(mutex_);
            in_.push_back({std::move(parsed), Clock::now()});
        }
        cv_.notify_all();
        do_read();
    });
}

void Ws_client::finish(const beast::error_code& ec)
{
    std::lock_guard lock(mutex_);
    // A close frame that arrived counts even if answering it failed (the peer may be gone).
    if (ec == websocket::error::closed || ws_.reason().code != websocket::close_code::none)
        close_code_ = static_cast<int>(ws_.reason().code);
    end_reason_ = ec.message();
    ended_ = true;
    cv_.notify_all();
}

void Ws_client::send(std::string text)
{
    net::post(ws_.get_executor(), [this, text = std::move(text)]() mutable {
        out_.push_back(std::move(text));
        if (!writing_) do_write();
    });
}

void Ws_client::do_write()
{
    if (out_.empty()) {
        writing_ = false;
        return;
    }
    writing_ = true;
    ws_.async_write(net::buffer(out_.front()), [this](beast::error_code ec, std::size_t n) {
        if (ec) {
            {
                std::lock_guard lock(mutex_);
                write_error_ = ec.message();
            }
            out_.clear();
            writing_ = false;
            return;
        }
        written_ += n;
        out_.pop_front();
        do_write();
    });
}

std::optional<Ws_client::Received> Ws_client::recv_timed(std::chrono::milliseconds timeout)
{
    std::unique_lock lock(mutex_);
    cv_.wait_for(lock, timeout, [this] { return !in_.empty() || ended_; });
    if (in_.empty()) return std::nullopt;
    Received r = std::move(in_.front());
    in_.pop_front();
    return r;
}

std::optional<json> Ws_client::recv(std::chrono::milliseconds timeout)
{
    auto r = recv_timed(timeout);
    if (!r) return std::nullopt;
    return std::move(r->message);
}

bool Ws_client::wait_closed(std::chrono::milliseconds timeout)
{
    std::unique_lock lock(mutex_);
    return cv_.wait_for(lock, timeout, [this] { return ended_; });
}

bool Ws_client::closed() const
{
    std::lock_guard lock(mutex_);
    return ended_;
}

std::optional<int> Ws_client::close_code() const
{
    std::lock_guard lock(mutex_);
    return close_code_;
}

std::string Ws_client::end_reason() const
{
    std::lock_guard lock(mutex_);
    return end_reason_ + (write_error_.empty() ? "" : " (write: " + write_error_ + ")");
}

std::size_t Ws_client::waiting() const
{
    std::lock_guard lock(mutex_);
    return in_.size();
}

std::size_t Ws_client::bytes_written() const
{
    auto p = std::make_shared<std::promise<std::size_t>>();
    auto f = p->get_future();
    net::post(const_cast<Ws_client*>(this)->ws_.get_executor(), [this, p] { p->set_value(written_); });
    return f.get();
}

void Ws_client::close()
{
    auto done = std::make_shared<std::promise<void>>();
    auto f = done->get_future();
    net::post(ws_.get_executor(), [this, done] {
        bool ended;
        {
            std::lock_guard lock(mutex_);
            ended = ended_;
        }
        if (!reading_ || writing_ || ended) {
            // Nobody reads (the server's close frame would never be seen), a write is in
            // flight, or the connection is already over: just go.
            beast::error_code ec;
            beast::get_lowest_layer(ws_).socket().close(ec);
            if (!reading_) {
                std::lock_guard lock(mutex_);
                ended_ = true;
            }
            done->set_value();
            return;
        }
        beast::get_lowest_layer(ws_).expires_after(std::chrono::seconds(2));
        ws_.async_close(websocket::close_code::normal, [done](beast::error_code) { done->set_value(); });
    });
    f.wait_for(std::chrono::seconds(3));
    wait_closed(std::chrono::seconds(2));
}

}  // namespace keha::itest
