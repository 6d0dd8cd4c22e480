#include "metrics_text.hpp"

#include <charconv>
#include <cstdio>
#include <type_traits>

#include "http_auth.hpp"
#include "metrics.hpp"
#include "room_registry.hpp"
#include "secrets.hpp"
#include "server_context.hpp"

namespace keha::server {
namespace {

class Writer {
public:
    void family(std::string_view name, std::string_view type, std::string_view help)
    {
        text_ += "# HELP ";
        text_ += name;
        text_ += ' ';
        text_ += help;
        text_ += "\n# TYPE ";
        text_ += name;
        text_ += ' ';
        text_ += type;
        text_ += '\n';
    }
    template <typename Number>
    void sample(std::string_view name, std::string_view labels, Number value)
    {
        text_ += name;
        if (!labels.empty()) {
            text_ += '{';
            text_ += labels;
            text_ += '}';
        }
        text_ += ' ';
        if constexpr (std::is_floating_point_v<Number>) {
            char number[32];
            const auto written = std::to_chars(number, number + sizeof number, value);  // shortest exact form
            text_.append(number, written.ptr);
        } else {
            text_ += std::to_string(value);
        }
        text_ += '\n';
    }
    std::string take() { return std::move(text_); }

private:
    std::string text_;
};

std::string label(std::string_view name, std::string_view value)
{
    return std::string(name) + "=\"" + std::string(value) + "\"";
}

}  // namespace

std::string metrics_text(Server_context& ctx)
{
    const Metrics& m = metrics();
    Writer w;
    w.family("keha_rooms_loaded", "gauge", "Meetings in memory now.");
    w.sample("keha_rooms_loaded", "", ctx.rooms ? ctx.rooms->loaded() : 0);
    w.family("keha_members_connected", "gauge", "WebSocket connections that joined a meeting and are open now.");
    w.sample("keha_members_connected", "", m.members_connected.get());
    w.family("keha_commands_applied_total", "counter", "Members' commands applied and committed to the store.");
    w.sample("keha_commands_applied_total", "", m.commands_applied.get());

    w.family("keha_commands_refused_total", "counter",
             "Members' commands refused, by the error code of the answer (docs/protocol.md).");
    // The codes in their order; past the last one, to_string answers the first one's name.
    for (std::size_t i = 0; i < Metrics::max_codes; ++i) {
        const auto code = to_string(static_cast<Error_code>(i));
        if (i > 0 && code == to_string(static_cast<Error_code>(0))) break;
        w.sample("keha_commands_refused_total", label("code", code), m.commands_refused[i].get());
    }

    w.family("keha_oplog_commit_seconds", "histogram",
             "Time from an op being queued for the store to its commit being durable.");
    const auto commit = m.oplog_commit.read();
    for (std::size_t i = 0; i < Latency_histogram::bounds_s.size(); ++i) {
        char bound[32];
        std::snprintf(bound, sizeof bound, "%g", Latency_histogram::bounds_s[i]);
        w.sample("keha_oplog_commit_seconds_bucket", label("le", bound), commit.cumulative[i]);
    }
    w.sample("keha_oplog_commit_seconds_bucket", label("le", "+Inf"), commit.cumulative.back());
    w.sample("keha_oplog_commit_seconds_sum", "", commit.sum_s);
    w.sample("keha_oplog_commit_seconds_count", "", commit.cumulative.back());

    w.family("keha_member_queue_dropped_messages_total", "counter",
             "Messages dropped from a slow member's queue when it was sent away.");
    w.sample("keha_member_queue_dropped_messages_total", "", m.queue_dropped_messages.get());
    w.family("keha_slow_consumer_disconnects_total", "counter",
             "Members sent away because their queue was full (--queue-limit).");
    w.sample("keha_slow_consumer_disconnects_total", "", m.slow_consumer_disconnects.get());

    w.family("keha_websocket_writes_total", "counter",
             "Writes of WebSocket messages to members; one carries every message queued for its member.");
    w.sample("keha_websocket_writes_total", "", m.websocket_writes.get());
    w.family("keha_websocket_messages_sent_total", "counter", "WebSocket messages written to members.");
    w.sample("keha_websocket_messages_sent_total", "", m.websocket_messages_sent.get());
    w.family("keha_reads_paused_total", "counter",
             "Times a member was not read until its queue or its room's work in hand came down (backpressure).");
    w.sample("keha_reads_paused_total", "", m.reads_paused.get());

    w.family("keha_rate_limited_total", "counter",
             "Requests, connections and messages refused by a limit: a member's message rate or a per-address limit.");
    for (std::size_t i = 0; i < limit_names.size(); ++i)
        w.sample("keha_rate_limited_total", label("limit", limit_names[i]), m.rate_limited[i].get());

    w.family("keha_http_requests_total", "counter",
             "HTTP requests answered on the main port, by status class (1xx: WebSocket upgrades).");
    for (std::size_t i = 0; i < m.http_responses.size(); ++i)
        w.sample("keha_http_requests_total", label("class", std::to_string(i + 1) + "xx"), m.http_responses[i].get());

    w.family("keha_store_commits_total", "counter", "Write transactions the SQLite store committed.");
    w.sample("keha_store_commits_total", "", m.store_commits.get());
    w.family("keha_store_pages_written_total", "counter",
             "Database pages the SQLite store's commits wrote to its write-ahead log.");
    w.sample("keha_store_pages_written_total", "", m.store_pages_written.get());

    const auto sizes = ctx.store.file_sizes();
    w.family("keha_store_size_bytes", "gauge", "Size of the SQLite database file and of its write-ahead log.");
    w.sample("keha_store_size_bytes", label("file", "database"), sizes.database);
    w.sample("keha_store_size_bytes", label("file", "wal"), sizes.wal);

    w.family("process_start_time_seconds", "gauge", "Start time of the process since the Unix epoch, in seconds.");
    w.sample("process_start_time_seconds", "", static_cast<double>(m.started_ms) / 1000.0);
    return w.take();
}

void answer_metrics(Server_context& ctx, const Request& req, const Responder& respond)
{
    if (ctx.metrics_token.empty())
        return respond(error_response(req, Error_code::not_found, "No such page."));
    auto refusal = key_refusal(req, "Metrics", "the token of --metrics-token-file",
                               [&](const std::string& key) { return key_matches(key, ctx.metrics_token); });
    if (refusal) {
        if (refusal->response.result() == http::status::unauthorized)
            refusal->response.set(http::field::www_authenticate, "Bearer");
        return respond(std::move(refusal->response));
    }
    respond(text_response(req, http::status::ok, metrics_content_type, metrics_text(ctx)));
}

}  // namespace keha::server
