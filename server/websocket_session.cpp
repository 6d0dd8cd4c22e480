#include "websocket_session.hpp"

#include "access_log.hpp"
#include "disconnects.hpp"
#include "address_limits.hpp"
#include "http_api.hpp"
#include "keha/code.hpp"
#include "exception_boundary.hpp"
#include "log.hpp"
#include "metrics.hpp"
#include "message.hpp"
#include "query.hpp"
#include "room.hpp"
#include "room_registry.hpp"
#include "server_context.hpp"

namespace keha::server {
namespace {

constexpr std::size_t max_frame = 64 * 1024;
constexpr int strikes_before_bye = 50;

}  // namespace

Websocket_session::Websocket_session(Connection_stream&& stream, Server_context& context, net::ip::address client,
                                     Wall_address wall)
    : ws_(std::move(stream)),
      client_(std::move(client)),
      peer_(client_.to_string()),
      address_(address_key(client_)),
      wall_(std::move(wall)),
      context_(context),
      tokens_(context.options.rate_burst),
      tokens_at_ms_(now_ms()),
      close_timer_(ws_.get_executor())
{
}

Websocket_session::~Websocket_session()
{
    if (room_) {
        metrics().members_connected.add(-1);
        room_->leave(this);
        context_.rooms->release(room_);
    }
}

void Websocket_session::run(http::request<http::string_body> request)
{
    // `/ws?room=CODE`: the code in the address is what a load balancer routes by (docs/deployment.md).
    const auto target = std::string_view(request.target());
    if (const auto q = target.find('?'); q != std::string_view::npos)
        room_in_url_ = query_param(target.substr(q + 1), "room");
    listed_ = track_connection(context_.connections, shared_from_this(), ws_.get_executor());
    ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
    ws_.read_message_max(max_frame);
    ws_.auto_fragment(false);
    ws_.set_option(websocket::stream_base::decorator(
        [](websocket::response_type& res) { res.set(http::field::server, "keha-server"); }));
    ws_.async_accept(request, beast::bind_front_handler(&Websocket_session::on_accept, shared_from_this()));
}

void Websocket_session::on_accept(beast::error_code ec)
{
    if (ec) return fail(ec, "accept");
    do_read();
}

void Websocket_session::do_read()
{
    ws_.async_read(buffer_, beast::bind_front_handler(&Websocket_session::on_read, shared_from_this()));
}

void Websocket_session::on_read(beast::error_code ec, std::size_t)
{
    if (ec) return fail(ec, "read");
    if (closing_) return;
    // Every frame counts against the rate, whatever it holds.
    over_rate_ = !take_token();
    if (!ws_.got_text()) {
        buffer_.consume(buffer_.size());
        if (over_rate_) refuse_for_rate(nullptr);
        else queue(error_message(nullptr, Error_code::bad_request, "Send text frames holding JSON objects."));
        if (!closing_) do_read();
        return;
    }
    std::string text = beast::buffers_to_string(buffer_.data());
    buffer_.consume(buffer_.size());
    try {
        on_message(text);
    } catch (...) {
        // The exception boundary of WebSocket messages: the sender hears of the fault, the
        // connection and the server go on.
        log_exception("websocket");
        if (!room_ || reading_paused_) return send_and_close(internal_error_message(nullptr));
        queue(internal_error_message(nullptr));
    }
    if (!closing_ && !reading_paused_) do_read();
}

bool Websocket_session::take_token()
{
    const auto now = now_ms();
    tokens_ = std::min(context_.options.rate_burst,
                       tokens_ + (now - tokens_at_ms_) * context_.options.rate_per_s / 1000.0);
    tokens_at_ms_ = now;
    if (tokens_ < 1) return false;
    tokens_ -= 1;
    return true;
}

void Websocket_session::refuse_for_rate(const json& id)
{
    metrics().limited(Limit::member_rate);
    if (++strikes_ >= strikes_before_bye) {
        log_warning("rate_limited", "bye");
        return send_and_close(bye_message(protocol::Bye_reason::rate_limited));
    }
    queue(error_message(id, Error_code::rate_limited, "Too many messages; slow down and try again."));
}

void Websocket_session::on_message(const std::string& text)
{
    Parse_problem problem{};
    auto message = parse_strict(text, &problem);
    if (over_rate_) {
        const bool has_id = message && message->is_object() && message->contains("id");
        return refuse_for_rate(has_id ? (*message)["id"] : json(nullptr));
    }
    auto type_or_error = message_type(message, problem);
    if (auto* error = std::get_if<Shared_text>(&type_or_error)) {
        if (!hello_done_) return send_and_close(*error);
        return queue(*error);
    }
    const std::string type = std::get<std::string>(type_or_error);
    strikes_ = 0;

    if (type == protocol::type::ping) {
        json t = message->contains("t") ? (*message)["t"] : json(nullptr);
        return queue(text_of({{"type", protocol::type::pong}, {"t", t}, {"server_time", now_ms()}}));
    }
    if (!hello_done_) {
        if (type != protocol::type::hello)
            return send_and_close(error_message(nullptr, Error_code::bad_request, "The first message must be hello."));
        return on_hello(*message);
    }
    if (type == protocol::type::hello)
        return queue(error_message(nullptr, Error_code::bad_request, "This connection has already said hello."));
    // A short code for carrying on as the same person on another device (docs/protocol.md §3).
    if (type == protocol::type::rejoin_code) return room_->rejoin_code(shared_from_this());
    if (type != protocol::type::command)
        return queue(error_message(nullptr, Error_code::bad_request, "Unknown message type \"" + type + "\"."));

    auto command = read_do(*message);
    if (auto* error = std::get_if<Shared_text>(&command)) return queue(*error);
    auto& [id, cmd, args] = std::get<Do_message>(command);
    room_->command(shared_from_this(), std::move(id), std::move(cmd), std::move(args));
}

void Websocket_session::on_hello(const json& message)
{
    hello_done_ = true;
    if (!message.contains("room") || !message["room"].is_string())
        return send_and_close(error_message(nullptr, Error_code::bad_request, "hello needs the room's code in \"room\"."));
    auto verdict = context_.addresses.may_try_code(address_);
    if (!verdict.allowed) {
        json error = json::parse(*error_message(nullptr, Error_code::rate_limited,
                                                "Too many wrong room codes from your address; wait and check the code."));
        error["retry_after"] = verdict.retry_after_s;
        return send_and_close(text_of(error));
    }
    // Nothing more is read until the room has welcomed (or refused) this member.
    reading_paused_ = true;
    auto code = normalize_code(message["room"].get<std::string>());
    // This socket was routed to the node of the room in its address: another room's node may be another.
    if (room_in_url_ && code && normalize_code(*room_in_url_) != code)
        return send_and_close(error_message(nullptr, Error_code::bad_request,
                                            "This connection was opened for another room (?room= in its address); "
                                            "open /ws?room=CODE with the code the hello names."));
    if (!code) return on_room(message, {});
    // A room not in memory is read from the store off this thread (room_registry.hpp).
    context_.rooms->acquire(*code, ws_.get_executor(), [self = shared_from_this(), message](Room_registry::Acquired room) {
        self->on_room(message, std::move(room));
    });
}

void Websocket_session::on_room(const json& message, Room_registry::Acquired acquired)
{
    // Runs on its own, outside on_read's exception boundary.
    try {
        if (acquired.room) {
            room_ = std::move(acquired.room);
            metrics().members_connected.add(1);
        }
        if (closing_) return;
        if (context_.stopping) return send_and_close(bye_message(protocol::Bye_reason::server_shutdown));
        if (acquired.error) std::rethrow_exception(acquired.error);
        if (!room_) {
            context_.addresses.code_failed(address_);
            const auto typed = message["room"].get<std::string>();
            log_access(context_, {0, normalize_code(typed).value_or(typed.substr(0, 20)), "unknown_room", "", "", "",
                                  peer_, "hello"});
            return send_and_close(error_message(nullptr, Error_code::unknown_room,
                                                "There is no room with this code; check the code and try again."));
        }
        room_->hello(shared_from_this(), message);
    } catch (const Room_elsewhere&) {
        // Another node has the room: connecting again reaches it through the load balancer.
        log_info("room_elsewhere", "room=" + message["room"].get<std::string>().substr(0, 20));
        send_and_close(bye_message(protocol::Bye_reason::moved));
    } catch (const Store_error& e) {
        // Not "unknown room": the room may well exist, and the client should come back.
        log_error("store_failed", std::string("loading a room: ") + e.what());
        send_and_close(error_message(nullptr, Error_code::unavailable,
                                     "The database cannot be read right now; try again in a moment."));
    } catch (...) {
        log_exception("websocket");
        send_and_close(internal_error_message(nullptr));
    }
}

void Websocket_session::resume_reading()
{
    net::post(ws_.get_executor(), [self = shared_from_this()] {
        if (!self->reading_paused_ || self->closing_) return;
        self->reading_paused_ = false;
        self->do_read();
    });
}

void Websocket_session::send(Shared_text message)
{
    net::post(ws_.get_executor(), [self = shared_from_this(), message = std::move(message)] {
        self->queue(message);
    });
}

void Websocket_session::send_and_close(Shared_text message)
{
    net::post(ws_.get_executor(), [self = shared_from_this(), message = std::move(message)] {
        if (self->closing_) return;
        self->queue(message);
        self->closing_ = true;
        // A member that reads nothing would never let the last message out.
        self->close_timer_.expires_after(std::chrono::seconds(5));
        self->close_timer_.async_wait([self](beast::error_code ec) {
            if (!ec) beast::get_lowest_layer(self->ws_).close();
        });
        if (!self->writing_) self->do_close();
    });
}

void Websocket_session::close_now() { beast::get_lowest_layer(ws_).close(); }

void Websocket_session::queue(Shared_text message)
{
    if (closing_) return;
    if (queue_.size() >= context_.options.queue_limit) {
        // One stuck laptop must not hold the room's memory: drop what waits, say why, go.
        log_warning("slow_consumer", "queued=" + std::to_string(queue_.size()));
        // What waits unsent, and the message that did not fit.
        metrics().queue_dropped_messages.add(queue_.size() - (writing_ ? 1u : 0u) + 1);
        metrics().slow_consumer_disconnects.add();
        while (queue_.size() > (writing_ ? 1u : 0u)) queue_.pop_back();
        queue_.push_back(bye_message(protocol::Bye_reason::slow_consumer));
        closing_ = true;
        close_timer_.expires_after(std::chrono::seconds(5));
        close_timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
            if (!ec) beast::get_lowest_layer(self->ws_).close();
        });
        if (!writing_) do_write();
        return;
    }
    queue_.push_back(std::move(message));
    if (!writing_) do_write();
}

void Websocket_session::do_write()
{
    if (queue_.empty()) {
        writing_ = false;
        if (closing_) do_close();
        return;
    }
    writing_ = true;
    ws_.text(true);
    ws_.async_write(net::buffer(*queue_.front()),
                    beast::bind_front_handler(&Websocket_session::on_write, shared_from_this()));
}

void Websocket_session::on_write(beast::error_code ec, std::size_t)
{
    if (ec) return fail(ec, "write");
    queue_.pop_front();
    do_write();
}

void Websocket_session::do_close()
{
    ws_.async_close(websocket::close_code::normal, [self = shared_from_this()](beast::error_code) {
        self->close_timer_.cancel();
    });
}

void Websocket_session::fail(beast::error_code ec, const char* what)
{
    if (ordinary_disconnect(ec)) return log_debug("ws_closed", std::string(what) + ": " + ec.message());
    if (ec == websocket::error::message_too_big) {
        log_warning("ws_frame_too_large");
        return;
    }
    log_error("ws_error", std::string(what) + ": " + ec.message());
}

}  // namespace keha::server
