#include "net_client.hpp"

#include <chrono>
#include <deque>
#include <optional>
#include <random>

#include "keha/code.hpp"
#include "keha/protocol.hpp"
#include "net.hpp"
#include "tls.hpp"

namespace keha::desk {

std::int64_t now_ms()
{
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

namespace {

// A hello that fails for one of these will fail again: stop trying. Any other (`unavailable`:
// the server's store cannot save right now) is tried again with the backoff of lost().
bool is_final(const std::string& code)
{
    using enum Error_code;
    auto known = protocol::error_code_from_string(code);
    if (!known) return false;
    switch (*known) {
    case unknown_room: case unauthorized: case locked: case room_closed: case bad_request: case invalid: case forbidden:
        return true;
    default: return false;
    }
}

}  // namespace

std::string websocket_target(std::string_view room)
{
    auto code = normalize_code(room);
    return code ? "/ws?room=" + *code : std::string("/ws");
}

// Everything below runs on the network thread, except the constructor.
struct Net_client::Impl {
    // A WebSocket over plain TCP (ws://) or over TLS (wss://).
    struct Connection {
        Connection(net::io_context& ioc, ssl::context* tls)
        {
            if (tls) secure.emplace(net::make_strand(ioc), *tls);
            else plain.emplace(net::make_strand(ioc));
        }
        std::optional<websocket::stream<beast::tcp_stream>> plain;
        std::optional<websocket::stream<Tls_stream>> secure;
        template <class F>
        void with(F&& f)
        {
            if (secure) f(*secure);
            else f(*plain);
        }
        beast::tcp_stream& tcp() { return secure ? beast::get_lowest_layer(*secure) : beast::get_lowest_layer(*plain); }
        beast::flat_buffer buffer;
        std::deque<std::shared_ptr<const std::string>> queue;
        bool welcomed = false;
    };

    Impl(Net_client& client, Server_url url, Hello greeting)
        : owner(client), server(std::move(url)), hello(std::move(greeting)), resolver(ioc), retry(ioc), pinger(ioc),
          work(net::make_work_guard(ioc)), rng(std::random_device{}())
    {
        token = hello.token;
    }

    Net_client& owner;
    Server_url server;
    Hello hello;
    net::io_context ioc;
    tcp::resolver resolver;
    net::steady_timer retry;
    net::steady_timer pinger;
    net::executor_work_guard<net::io_context::executor_type> work;
    std::mt19937 rng;

    std::shared_ptr<ssl::context> tls;  // for wss://, made on the first connect
    std::shared_ptr<Connection> conn;
    std::string token;
    std::uint64_t seq = 0;
    bool have_state = false;
    // Commands written but not answered (ack or error) yet: after a drop, the next welcome
    // says which of them the server applied (settle_unanswered).
    struct Sent {
        std::string id, cmd;
        json args;
    };
    std::vector<Sent> unanswered;
    bool lost_join = false;  // the token was refused: the next welcome is a fresh join
    std::string you, lost_you;  // whom the token stands for; whom the refused one stood for
    bool stopped = false;
    int failures = 0;

    void connect()
    {
        if (stopped) return;
        std::shared_ptr<Connection> c;
        try {
            if (server.tls && !tls) tls = client_tls_context(server);
            c = std::make_shared<Connection>(ioc, tls.get());
            if (c->secure) prepare_tls(c->secure->next_layer(), server);
        } catch (const std::exception& e) {
            conn = nullptr;
            return lost(e.what());
        }
        conn = c;
        resolver.async_resolve(server.host, server.port,
                               [this, c](beast::error_code ec, tcp::resolver::results_type results) {
                                   if (c != conn) return;
                                   if (ec) return lost(ec.message());
                                   c->tcp().expires_after(std::chrono::seconds(10));
                                   c->tcp().async_connect(
                                       results, [this, c](beast::error_code connect_ec, const tcp::endpoint&) {
                                           on_connect(c, connect_ec);
                                       });
                               });
    }

    void on_connect(const std::shared_ptr<Connection>& c, beast::error_code ec)
    {
        if (c != conn) return;
        if (ec) return lost(ec.message());
        c->tcp().socket().set_option(tcp::no_delay(true));  // no Nagle delay on small frames
        if (!c->secure) return on_transport(c);
        // The TLS handshake, still under the connect timeout.
        c->secure->next_layer().async_handshake(ssl::stream_base::client, [this, c](beast::error_code tls_ec) {
            if (c != conn) return;
            if (tls_ec) return lost(tls_ec.message());
            on_transport(c);
        });
    }

    // TCP (and TLS) is up: the WebSocket handshake, then hello.
    void on_transport(const std::shared_ptr<Connection>& c)
    {
        c->tcp().expires_never();
        websocket::stream_base::timeout timeout{};
        timeout.handshake_timeout = std::chrono::seconds(10);
        timeout.idle_timeout = std::chrono::seconds(20);  // a silent, half-dead link is noticed
        timeout.keep_alive_pings = true;
        std::string host = server.host + ":" + server.port;
        c->with([&](auto& ws) {
            ws.set_option(timeout);
            ws.set_option(websocket::stream_base::decorator([](websocket::request_type& req) {
                req.set(http::field::user_agent, "keha-desk");
            }));
            ws.read_message_max(64 * 1024 * 1024);  // a welcome of a big room is large
            ws.async_handshake(host, websocket_target(hello.room),
                               [this, c](beast::error_code ec) { on_handshake(c, ec); });
        });
    }

    void on_handshake(const std::shared_ptr<Connection>& c, beast::error_code ec)
    {
        if (c != conn) return;
        if (ec) return lost(ec.message());
        c->with([](auto& ws) { ws.text(true); });
        json hi = {{"type", protocol::type::hello}, {"room", hello.room}};
        if (!hello.name.empty()) hi["name"] = hello.name;
        if (!hello.group.empty()) hi["group"] = hello.group;
        if (!hello.key.empty()) hi["key"] = hello.key;
        if (!token.empty()) {
            hi["token"] = token;
            if (have_state) hi["since"] = seq;
        } else if (!hello.rejoin.empty()) {
            hi["rejoin"] = hello.rejoin;
        }
        write(hi.dump());
        read();
    }

    void read()
    {
        auto c = conn;
        c->with([&](auto& ws) {
            ws.async_read(c->buffer, [this, c](beast::error_code ec, std::size_t) {
                if (c != conn) return;
                if (ec) return lost(ec == websocket::error::closed ? std::string() : ec.message());
                json message = json::parse(beast::buffers_to_string(c->buffer.data()), nullptr, false);
                c->buffer.consume(c->buffer.size());
                if (message.is_object()) on_message(*c, std::move(message));
                if (c == conn && !stopped) read();
            });
        });
    }

    void on_message(Connection& c, json message)
    {
        std::string type = message.value("type", "");
        if (type == protocol::type::welcome) {
            c.welcomed = true;
            token = message.value("token", token);
            you = message.value("you", you);
            seq = message.value("seq", seq);
            have_state = true;
            failures = 0;
            owner.set_link(Link::online, {});
            start_pinging();
            owner.push({Net_event::Kind::message, {}, {}, message});
            return settle_unanswered(message);
        } else if (type == protocol::type::lobby) {
            // Waiting for a facilitator: keep the token, so a reconnect waits as the same
            // person; the welcome follows on this connection once we are let in.
            token = message.value("token", token);
            you = message.value("you", you);
            failures = 0;
            owner.set_link(Link::lobby, {});
        } else if (type == protocol::type::patch) {
            seq = std::max(seq, message.value("seq", seq));
        } else if (type == protocol::type::pong) {
            std::int64_t t = message.value("t", std::int64_t{0}), now = now_ms();
            std::int64_t rtt = now - t;
            if (rtt >= 0 && rtt < 5000 && message.contains("server_time")) {
                owner.rtt_ms_ = rtt;
                owner.offset_ms_ = message.value("server_time", now) - (t + rtt / 2);
            }
            return;  // nothing for the UI
        } else if (type == protocol::type::error && !c.welcomed && message.value("id", json()).is_null()) {
            std::string code = message.value("code", "");
            if (code == to_string(Error_code::unauthorized) && resumed_own_token()) return join_again();
            owner.push({Net_event::Kind::message, {}, {}, message});
            if (is_final(code)) return stop(code);
            return;
        } else if (type == protocol::type::ack || type == protocol::type::error) {
            const json id = message.value("id", json());  // null in an error that answers no command
            std::erase_if(unanswered, [&](const Sent& sent) { return id == sent.id; });
        } else if (type == protocol::type::bye) {
            std::string reason = message.value("reason", "");
            owner.push({Net_event::Kind::message, {}, {}, message});
            auto known = protocol::bye_reason_from_string(reason);
            if (known && protocol::is_final(*known)) return stop(reason);
            return lost(reason);
        }
        owner.push({Net_event::Kind::message, {}, {}, std::move(message)});
    }

    // The hello carried a token a welcome or lobby of this client gave, and there is a name or
    // key to join with. The server does not know it: the join that made it was lost in a crash
    // (docs/protocol.md §9.2; or the person was removed, or the database is another one).
    bool resumed_own_token() const
    {
        return !token.empty() && token != hello.token && (!hello.name.empty() || !hello.key.empty());
    }

    // Joins afresh with the hello's name or key, as the browser view does.
    void join_again()
    {
        close_connection();
        token.clear();
        have_state = false;
        lost_join = true;
        lost_you = you;
        owner.set_link(Link::connecting, {});
        connect();
    }

    // After a drop, each command not answered was applied or not; the welcome tells which:
    // a replay shows one's own (same author and command), a fresh join after a lost one
    // applied none of them (their seqs came after the lost join's). The rest is sent again.
    // A full state of the same person cannot tell: those are given up, as before.
    void settle_unanswered(const json& welcome)
    {
        std::vector<Sent> again;
        if (const auto replay = welcome.find("replay"); replay != welcome.end() && replay->is_array()) {
            std::vector<bool> used(replay->size(), false);
            for (Sent& sent : unanswered) {
                std::size_t i = 0;
                for (; i < replay->size(); ++i) {
                    const json& p = (*replay)[i];
                    if (!used[i] && p.is_object() && p.value("by", json()) == you && p.value("cmd", json()) == sent.cmd) break;
                }
                if (i < replay->size()) used[i] = true;
                else again.push_back(std::move(sent));
            }
        } else if (lost_join && !removed_before(welcome)) {
            again = std::move(unanswered);
        }
        unanswered.clear();
        lost_join = false;
        for (Sent& sent : again) send_command(sent.id, sent.cmd, std::move(sent.args));
    }

    // Whether the person whose token was refused is in the welcome's state as removed: then
    // what they sent may stand, and nothing is sent again.
    bool removed_before(const json& welcome) const
    {
        const json* state = welcome.contains("state") ? &welcome["state"] : nullptr;
        if (!state || !state->is_object() || !state->contains("participants")) return false;
        const json& people = (*state)["participants"];
        return people.is_object() && people.contains(lost_you) && people[lost_you].is_object() &&
               people[lost_you].value("removed", false);
    }

    void write(std::string text)
    {
        auto c = conn;
        if (!c) return;
        c->queue.push_back(std::make_shared<const std::string>(std::move(text)));
        if (c->queue.size() == 1) do_write(c);
    }

    void do_write(const std::shared_ptr<Connection>& c)
    {
        c->with([&](auto& ws) {
            ws.async_write(net::buffer(*c->queue.front()), [this, c](beast::error_code ec, std::size_t) {
                if (c != conn) return;
                if (ec) return lost(ec.message());
                c->queue.pop_front();
                if (!c->queue.empty()) do_write(c);
            });
        });
    }

    void start_pinging()
    {
        send_ping();
    }

    void send_ping()
    {
        pinger.expires_after(std::chrono::seconds(10));
        auto c = conn;
        write(json{{"type", protocol::type::ping}, {"t", now_ms()}}.dump());
        pinger.async_wait([this, c](beast::error_code ec) {
            if (ec || c != conn || stopped) return;
            send_ping();
        });
    }

    void close_connection()
    {
        pinger.cancel();
        if (auto c = std::exchange(conn, nullptr)) {
            beast::error_code ignored;
            c->tcp().socket().close(ignored);
        }
    }

    // The connection dropped: try again, sooner first, then at most every 10 s.
    void lost(const std::string& why)
    {
        if (stopped) return;
        close_connection();
        owner.set_link(have_state ? Link::reconnecting : Link::connecting, why);
        ++failures;
        int base = std::min(10000, 250 << std::min(failures, 6));
        int delay = base / 2 + static_cast<int>(rng() % static_cast<unsigned>(base / 2 + 1));
        retry.expires_after(std::chrono::milliseconds(failures == 1 ? 100 : delay));
        retry.async_wait([this](beast::error_code ec) {
            if (ec || stopped) return;
            ++owner.reconnects_;
            connect();
        });
    }

    void stop(const std::string& why)
    {
        stopped = true;
        close_connection();
        retry.cancel();
        owner.set_link(Link::stopped, why);
    }

    void send_command(const std::string& id, const std::string& cmd, json args)
    {
        if (!conn || !conn->welcomed) {
            owner.push({Net_event::Kind::message,
                        {},
                        {},
                        json{{"type", protocol::type::error}, {"id", id}, {"code", "offline"}, {"message", "Not connected."}}});
            return;
        }
        write(json{{"type", protocol::type::command}, {"id", id}, {"cmd", cmd}, {"args", args}}.dump());
        unanswered.push_back({id, cmd, std::move(args)});
    }

    void resync()
    {
        if (stopped) return;
        have_state = false;
        close_connection();
        owner.set_link(Link::connecting, {});
        connect();
    }
};

Net_client::Net_client(Server_url server, Hello hello, std::function<void()> wake)
    : impl_(std::make_unique<Impl>(*this, std::move(server), std::move(hello))), wake_(std::move(wake))
{
}

Net_client::~Net_client()
{
    if (thread_.joinable()) {
        net::post(impl_->ioc, [this] {
            impl_->stopped = true;
            impl_->close_connection();
            impl_->retry.cancel();
            impl_->resolver.cancel();
            impl_->work.reset();
            impl_->ioc.stop();
        });
        thread_.join();
    }
}

void Net_client::start()
{
    net::post(impl_->ioc, [this] { impl_->connect(); });
    thread_ = std::thread([this] { impl_->ioc.run(); });
}

std::string Net_client::send(const std::string& cmd, json args)
{
    std::string id = "c" + std::to_string(next_id_++);
    net::post(impl_->ioc, [this, id, cmd, args = std::move(args)]() mutable {
        impl_->send_command(id, cmd, std::move(args));
    });
    return id;
}

void Net_client::ask_rejoin_code()
{
    net::post(impl_->ioc, [this] {
        if (impl_->conn && impl_->conn->welcomed) impl_->write(json{{"type", protocol::type::rejoin_code}}.dump());
    });
}

void Net_client::resync()
{
    net::post(impl_->ioc, [this] { impl_->resync(); });
}

std::vector<Net_event> Net_client::take()
{
    std::vector<Net_event> out;
    std::lock_guard lock(mutex_);
    out.swap(events_);
    return out;
}

void Net_client::push(Net_event event)
{
    {
        std::lock_guard lock(mutex_);
        events_.push_back(std::move(event));
    }
    if (wake_) wake_();
}

void Net_client::set_link(Link link, std::string detail)
{
    link_ = link;
    push({Net_event::Kind::link, link, std::move(detail), {}});
}

}  // namespace keha::desk
