#pragma once
// One accepted connection as a byte stream that is either plain TCP or TLS over TCP, so the
// HTTP and WebSocket sessions are written once for both. It starts plain; start_tls() turns
// it into TLS before the handshake. Each TLS connection keeps the certificate context it
// was accepted with, so a reload (SIGHUP) never touches a connection already open.
#include <boost/asio/ssl.hpp>
#include <boost/beast/ssl.hpp>

#include <memory>
#include <variant>
#include <vector>

#include "net.hpp"

namespace keha::server {

namespace ssl = net::ssl;

class Connection_stream {
public:
    using executor_type = beast::tcp_stream::executor_type;
    using Tls_stream = beast::ssl_stream<beast::tcp_stream>;

    explicit Connection_stream(beast::tcp_stream&& plain) : stream_(std::move(plain)) {}
    Connection_stream(Connection_stream&&) = default;

    executor_type get_executor() { return tcp().get_executor(); }
    bool tls() const { return std::holds_alternative<Tls>(stream_); }

    // The TCP layer under whatever is on top (for timeouts, the peer's address, closing).
    beast::tcp_stream& tcp();
    // Valid only after start_tls().
    Tls_stream& tls_stream() { return std::get<Tls>(stream_).stream; }
    void start_tls(std::shared_ptr<ssl::context> context);

    void close();  // closes the socket at once; pending operations end with operation_aborted

    // Ends the connection after the last answer: close_notify for TLS, FIN for TCP.
    template <class Handler>
    void async_shutdown(Handler&& handler)
    {
        if (auto* t = std::get_if<Tls>(&stream_)) return t->stream.async_shutdown(std::forward<Handler>(handler));
        beast::error_code ec;
        tcp().socket().shutdown(tcp::socket::shutdown_send, ec);
        net::post(get_executor(), [h = std::forward<Handler>(handler), ec]() mutable { h(ec); });
    }

    template <class Buffers, class Handler>
    void async_read_some(const Buffers& buffers, Handler&& handler)
    {
        if (auto* t = std::get_if<Tls>(&stream_)) return t->stream.async_read_some(buffers, std::forward<Handler>(handler));
        std::get<beast::tcp_stream>(stream_).async_read_some(buffers, std::forward<Handler>(handler));
    }

    // The writes of whatever runs on top (Beast's HTTP and WebSocket streams: answers,
    // handshakes, control frames). While a raw write is under way the call waits for it.
    template <class Buffers, class Handler>
    void async_write_some(const Buffers& buffers, Handler&& handler)
    {
        if (gate_.raw) {
            gate_.parked_layer = park([this, buffers, h = std::forward<Handler>(handler)]() mutable {
                async_write_some(buffers, std::move(h));
            });
            return;
        }
        gate_.layer = true;
        write_some_now(buffers, Layer_write<std::decay_t<Handler>>{this, beast::buffer_bytes(buffers),
                                                                   std::forward<Handler>(handler)});
    }

    // Writes `buffers` whole, beside the layer above: the WebSocket session sends messages it
    // framed itself (websocket_frames.hpp), several in one gather write. A write of the layer
    // above that has begun is finished first, and one that comes meanwhile waits, so frames
    // never interleave on the wire. One raw write at a time.
    template <class Buffers, class Handler>
    void async_write_raw(const Buffers& buffers, Handler&& handler)
    {
        if (gate_.layer) {
            gate_.parked_raw = park([this, buffers, h = std::forward<Handler>(handler)]() mutable {
                async_write_raw(buffers, std::move(h));
            });
            return;
        }
        gate_.raw = true;
        raw_.self = this;
        net::async_write(raw_, buffers, [this, h = std::forward<Handler>(handler)](beast::error_code ec,
                                                                                      std::size_t n) mutable {
            gate_.raw = false;
            // The layer's waiting write goes first, so a write it starts next queues behind it.
            if (auto parked = std::move(gate_.parked_layer)) parked->run();
            std::move(h)(ec, n);
        });
    }

    // Writes what a plain connection's socket takes at once, without waiting and without a
    // completion to run later, when no other write is under way: at ordinary rates a member's
    // message leaves whole in this one call. Returns the bytes written; 0 with TLS, while
    // another write is under way, when the socket would block, and on an error (the
    // asynchronous write that follows finds it).
    std::size_t write_raw_now(const std::vector<net::const_buffer>& buffers);

    // What websocket::stream needs to close the connection under it.
    friend void beast_close_socket(Connection_stream& stream) { stream.close(); }
    friend void teardown(beast::role_type role, Connection_stream& stream, beast::error_code& ec);
    template <class Handler>
    friend void async_teardown(beast::role_type role, Connection_stream& stream, Handler&& handler)
    {
        using beast::websocket::async_teardown;
        if (auto* t = std::get_if<Tls>(&stream.stream_))
            return async_teardown(role, t->stream, std::forward<Handler>(handler));
        async_teardown(role, std::get<beast::tcp_stream>(stream.stream_).socket(), std::forward<Handler>(handler));
    }

private:
    template <class Buffers, class Handler>
    void write_some_now(const Buffers& buffers, Handler&& handler)
    {
        if (auto* t = std::get_if<Tls>(&stream_)) return t->stream.async_write_some(buffers, std::forward<Handler>(handler));
        std::get<beast::tcp_stream>(stream_).async_write_some(buffers, std::forward<Handler>(handler));
    }

    // A write that waits for the other kind to finish (move-only, like the handlers it holds).
    struct Parked {
        virtual ~Parked() = default;
        virtual void run() = 0;
    };
    template <class Work>
    static std::unique_ptr<Parked> park(Work&& work)
    {
        struct Held final : Parked {
            explicit Held(Work&& w) : work(std::move(w)) {}
            void run() override { work(); }
            Work work;
        };
        return std::make_unique<Held>(std::forward<Work>(work));
    }
    // Which kind of write is under way: the layer's (from its first write_some until one
    // writes what was asked, so a composed write that goes on after a short write is still
    // under way) or a raw one.
    struct Gate {
        bool layer = false, raw = false;
        std::unique_ptr<Parked> parked_layer, parked_raw;
    };

    // The layer's write_some handler: notes the end of its write, and lets a waiting raw
    // write go before the layer can start another.
    template <class Handler>
    struct Layer_write {
        Connection_stream* self;
        std::size_t asked;
        Handler handler;
        using executor_type = net::associated_executor_t<Handler, Connection_stream::executor_type>;
        executor_type get_executor() const noexcept
        {
            return net::get_associated_executor(handler, self->get_executor());
        }
        using allocator_type = net::associated_allocator_t<Handler>;
        allocator_type get_allocator() const noexcept { return net::get_associated_allocator(handler); }
        void operator()(beast::error_code ec, std::size_t n)
        {
            if (ec || n >= asked) {
                self->gate_.layer = false;
                if (auto parked = std::move(self->gate_.parked_raw)) parked->run();
            }
            std::move(handler)(ec, n);
        }
    };
    // The stream a raw write goes to: the connection itself, past the gate.
    struct Raw {
        Connection_stream* self = nullptr;  // set when a raw write starts (the stream may have moved)
        using executor_type = Connection_stream::executor_type;
        executor_type get_executor() { return self->get_executor(); }
        template <class Buffers, class Handler>
        void async_write_some(const Buffers& buffers, Handler&& handler)
        {
            self->write_some_now(buffers, std::forward<Handler>(handler));
        }
    };

    struct Tls {
        std::shared_ptr<ssl::context> context;  // outlives the stream that uses it
        Tls_stream stream;
    };
    std::variant<beast::tcp_stream, Tls> stream_;
    Gate gate_;
    Raw raw_;
};

}  // namespace keha::server
