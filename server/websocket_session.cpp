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

// The sessions the Send_batch alive on this thread hands over to when it ends.
thread_local std::vector<std::shared_ptr<Websocket_session>>* batch_sessions = nullptr;

}  // namespace

Send_batch::Send_batch()
{
    if (batch_sessions) return;  // an inner one: the outermost hands over
    batch_sessions = &sessions_;
    outermost_ = true;
}

Send_batch::~Send_batch()
{
    if (!outermost_) return;
    batch_sessions = nullptr;
    for (auto& session : sessions_) session->post_drain();
}

std::size_t pause_reading_at(const Options& options) { return std::max<std::size_t>(1, options.queue_limit / 4); }
std::size_t resume_reading_at(const Options& options) { return pause_reading_at(options) / 2; }


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
    read_more();
}

void Websocket_session::read_more()
{
    if (reading_ || closing_ || read_ended_ || reading_paused_ || paused_for_queue_ || paused_for_room_) return;
    // Backpressure: a member whose answers pile up, or whose room has more work in hand than
    // it can commit, is not read until they come down; its own TCP window then slows it.
    if (queued() > pause_reading_at(context_.options)) {
        paused_for_queue_ = true;
        metrics().reads_paused.add();
        return;
    }
    if (room_ && room_->congested()) {
        paused_for_room_ = true;
        metrics().reads_paused.add();
        room_->wake_when_uncongested(shared_from_this());
        return;
    }
    reading_ = true;
    ws_.async_read(buffer_, beast::bind_front_handler(&Websocket_session::on_read, shared_from_this()));
}

void Websocket_session::room_uncongested()
{
    net::post(ws_.get_executor(), [self = shared_from_this()] {
        self->paused_for_room_ = false;
        self->read_more();
    });
}

void Websocket_session::on_read(beast::error_code ec, std::size_t)
{
    reading_ = false;
    if (ec) {
        // Beast may have answered a close frame or sent one of its own: no message may follow it.
        read_ended_ = true;
        return fail(ec, "read");
    }
    if (closing_) return;
    // Every frame counts against the rate, whatever it holds.
    over_rate_ = !take_token();
    if (!ws_.got_text()) {
        buffer_.consume(buffer_.size());
        if (over_rate_) refuse_for_rate(nullptr);
        else queue(error_message(nullptr, Error_code::bad_request, "Send text frames holding JSON objects."));
        return read_more();
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
    read_more();
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
        if (!self->reading_paused_) return;
        self->reading_paused_ = false;
        self->read_more();
    });
}

void Websocket_session::deliver(Shared_text message, bool last)
{
    {
        std::lock_guard lock(inbox_mutex_);
        inbox_.push_back({std::move(message), last});
        if (drain_due_) return;
        drain_due_ = true;
    }
    if (batch_sessions) batch_sessions->push_back(shared_from_this());
    else post_drain();
}

void Websocket_session::post_drain()
{
    net::post(ws_.get_executor(), [self = shared_from_this()] { self->drain_inbox(); });
}

void Websocket_session::drain_inbox()
{
    std::vector<Incoming> arrived;
    {
        std::lock_guard lock(inbox_mutex_);
        arrived.swap(inbox_);
        drain_due_ = false;
    }
    for (auto& in : arrived) {
        if (in.last) close_after(std::move(in.text));
        else push(std::move(in.text));
    }
    if (!writing_) do_write();
}

void Websocket_session::close_after(Shared_text message)
{
    if (closing_) return;
    queue_.push_back(std::move(message));
    closing_ = true;
    // A member that reads nothing would never let the last message out.
    close_timer_.expires_after(std::chrono::seconds(5));
    close_timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
        if (!ec) beast::get_lowest_layer(self->ws_).close();
    });
}

void Websocket_session::close_now() { beast::get_lowest_layer(ws_).close(); }

void Websocket_session::queue(Shared_text message)
{
    push(std::move(message));
    if (!writing_) do_write();
}

void Websocket_session::push(Shared_text message)
{
    if (closing_) return;
    // What waits, not what is being written: --queue-limit counts the messages waiting.
    if (queue_.size() >= context_.options.queue_limit) {
        // One stuck laptop must not hold the room's memory: drop what waits, say why, go.
        log_warning("slow_consumer", "queued=" + std::to_string(queue_.size()));
        // What waits unsent, and the message that did not fit.
        metrics().queue_dropped_messages.add(queue_.size() + 1);
        metrics().slow_consumer_disconnects.add();
        queue_.clear();
        close_after(bye_message(protocol::Bye_reason::slow_consumer));
        return;
    }
    queue_.push_back(std::move(message));
}

void Websocket_session::do_write()
{
    for (;;) {
        if (read_ended_) queue_.clear();
        if (queue_.empty()) {
            writing_ = false;
            // Once: later drains find the queue empty too, and one close is all Beast takes.
            if (closing_ && !close_started_) do_close();
            return;
        }
        writing_ = true;
        // Everything queued, framed once, in one gather write (websocket_frames.hpp); Beast's
        // own frames (pong, close) wait for it in Connection_stream.
        sending_.take(queue_);
        metrics().websocket_writes.add();
        metrics().websocket_messages_sent.add(sending_.size());
        // What the socket takes at once is written here; the rest, if any, waits for it.
        if (!sending_.written(ws_.next_layer().write_raw_now(sending_.buffers()))) break;
        sending_.clear();
        resume_reading_if_drained();
    }
    ws_.next_layer().async_write_raw(sending_.buffers(),
                                     beast::bind_front_handler(&Websocket_session::on_write, shared_from_this()));
}

void Websocket_session::on_write(beast::error_code ec, std::size_t)
{
    sending_.clear();
    if (ec) return fail(ec, "write");
    resume_reading_if_drained();
    do_write();
}

void Websocket_session::resume_reading_if_drained()
{
    if (paused_for_queue_ && queued() <= resume_reading_at(context_.options)) {
        paused_for_queue_ = false;
        read_more();
    }
}

void Websocket_session::do_close()
{
    close_started_ = true;
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
