#include "http_api.hpp"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "keha/code.hpp"
#include "keha/i18n.hpp"
#include "keha/notes.hpp"
#include "keha/state.hpp"
#include "keha/text.hpp"
#include "access_log.hpp"
#include "exception_boundary.hpp"
#include "health.hpp"
#include "http_auth.hpp"
#include "log.hpp"
#include "meeting_api.hpp"
#include "metrics_text.hpp"
#include "message.hpp"
#include "qr.hpp"
#include "query.hpp"
#include "retention.hpp"
#include "room_registry.hpp"
#include "secrets.hpp"
#include "server_context.hpp"

namespace keha::server {
namespace fs = std::filesystem;
namespace {

std::string_view mime_type(const fs::path& path)
{
    const auto ext = path.extension().string();
    if (ext == ".html") return "text/html; charset=utf-8";
    if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";
    if (ext == ".css") return "text/css; charset=utf-8";
    if (ext == ".json") return "application/json";
    if (ext == ".svg") return "image/svg+xml";
    if (ext == ".png") return "image/png";
    if (ext == ".ico") return "image/x-icon";
    if (ext == ".woff2") return "font/woff2";
    return "application/octet-stream";
}

// The path split at '?', without the query.
std::pair<std::string, std::string> split_target(std::string_view target)
{
    auto q = target.find('?');
    if (q == std::string_view::npos) return {std::string(target), {}};
    return {std::string(target.substr(0, q)), std::string(target.substr(q + 1))};
}

std::vector<std::string> segments(const std::string& path)
{
    std::vector<std::string> out;
    std::istringstream in(path);
    std::string part;
    while (std::getline(in, part, '/'))
        if (!part.empty()) out.push_back(part);
    return out;
}

Response serve_file(Server_context& ctx, const Request& req, const fs::path& relative)
{
    for (const auto& part : relative)
        if (part == ".." || part == ".")
            return error_response(req, Error_code::not_found, "No such file.");
    fs::path file = ctx.assets.root / relative;
    std::ifstream in(file, std::ios::binary);
    if (!in || fs::is_directory(file)) return error_response(req, Error_code::not_found, "No such file.");
    std::ostringstream body;
    body << in.rdbuf();
    return file_response(req, mime_type(file), body.str());
}

}  // namespace

namespace {

void create_room(Server_context& ctx, const Request& req, const Responder& respond)
{
    if (auto refusal = organizer_refusal(ctx, req, "Creating a room", Without_organizer_key::open))
        return respond(std::move(refusal->response));
    Parse_problem problem{};
    auto body = parse_strict(req.body(), &problem);
    if (problem == Parse_problem::too_deep)
        return respond(error_response(req, Error_code::bad_request, "The body " + std::string(describe(problem)) + "."));
    if (!body || !body->is_object())
        return respond(error_response(req, Error_code::bad_request, "The body must be a JSON object like {\"title\": \"...\"}."));
    for (const auto& [k, v] : body->items())
        if (k != "title" && k != "template" && k != "language" && k != "process" && k != "team" && k != "import" &&
            k != "process_key")
            return respond(error_response(req, Error_code::invalid, "Unknown field \"" + k + "\"."));
    const json& b = *body;
    if (!b.contains("title") || !b["title"].is_string())
        return respond(error_response(req, Error_code::bad_request, "The room needs a \"title\" (text)."));
    auto title_len = text_length(b["title"].get<std::string>());
    if (!title_len || *title_len < 1 || *title_len > 200)
        return respond(error_response(req, Error_code::invalid, "The title must be 1–200 characters, without control characters."));
    for (const char* k : {"template", "language", "process", "process_key"})
        if (b.contains(k) && !b[k].is_string() && !(std::string_view(k) == "process" && b[k].is_null()))
            return respond(error_response(req, Error_code::bad_request, std::string("The field \"") + k + "\" must be text."));
    Room_meta meta;
    meta.title = b["title"];
    meta.language = b.value("language", "fi");
    if (!is_language(meta.language))
        return respond(error_response(req, Error_code::invalid, "The language must be fi, sv or en."));
    meta.template_id = b.value("template", ctx.assets.templates.default_id());
    const json* tmpl = ctx.assets.templates.find(meta.template_id);
    if (!tmpl)
        return respond(error_response(req, Error_code::invalid, "There is no template \"" + meta.template_id + "\"; GET /api/templates lists them."));
    const auto created = now_ms();
    meta.created_at = iso8601_utc(created);
    // "process", "process_key", "team" and "import" (meeting_api.hpp).
    std::optional<json> initial_state;
    std::string process_id;
    if (auto e = room_creation_fields(ctx, b, meta, *tmpl, initial_state, process_id))
        return respond(error_response(req, e->code, e->message));
    const std::string facilitator_key = random_secret();
    const std::string screen_key = random_secret();
    for (int attempt = 0; attempt < 20; ++attempt) {
        meta.code = make_code(random_u32);
        if (ctx.store.room_exists(meta.code)) continue;
        json state = initial_state ? *initial_state : make_state(meta, *tmpl);
        state["room"]["code"] = meta.code;
        // The writer answers; meanwhile this I/O thread serves others (the write may wait
        // for the database's lock for seconds).
        const Reply_to to(req);
        ctx.store.create_room_async(
            {meta.code, sha256_hex(facilitator_key), sha256_hex(screen_key), created, process_id}, state.dump(),
            [to, respond, code = meta.code, template_id = meta.template_id, facilitator_key,
             screen_key](const std::string& error) {
                if (!error.empty()) {
                    log_error("store_failed", "creating a room: " + error);
                    return respond(error_response(to, Error_code::unavailable, "The database cannot save right now; try again in a moment."));
                }
                log_info("room_created", "room=" + code + " template=" + template_id);
                respond(json_response(to, http::status::created,
                                      {{"code", code}, {"facilitator_key", facilitator_key}, {"screen_key", screen_key}}));
            });
        return;
    }
    respond(error_response(req, Error_code::unavailable, "No free room code was found; try again."));
}

using Room_use = std::function<Response(const json& state, const Room_record& record)>;

// The room with_room asked for: `use` runs on its strand with the room's state; or 404 for an
// unknown code, 503 when the store cannot be read now.
void use_room(Server_context& ctx, const Reply_to& to, const std::string& peer, const std::string& shown_code,
              const Responder& respond, Room_use use, Room_registry::Acquired acquired)
{
    try {
        if (acquired.error) std::rethrow_exception(acquired.error);
    } catch (const Store_error& e) {
        log_error("store_failed", std::string("loading a room: ") + e.what());
        return respond(error_response(to, Error_code::unavailable, "The database cannot be read right now; try again in a moment."));
    }
    auto room = std::move(acquired.room);
    if (!room) {
        log_access(ctx, {0, shown_code, "unknown_room", "", "", "", peer, "GET /api/rooms/{code}"});
        return respond(error_response(to, Error_code::unknown_room, "There is no room with this code; check the code."));
    }
    room->with_state([&ctx, room, respond, use = std::move(use), to](const json& state, const Room_record& record) {
        // This runs on the room's strand, outside handle_request's boundary.
        try {
            respond(use(state, record));
        } catch (...) {
            log_exception("http_room");
            respond(internal_error_response(to.version, to.keep_alive));
        }
        ctx.rooms->release(room);
    });
}

// Runs `use` on the room's strand, or answers 404 for an unknown code.
void with_room(Server_context& ctx, const Request& req, const std::string& raw_code, const Responder& respond,
               Room_use use)
{
    auto code = normalize_code(raw_code);
    const Reply_to to(req);
    std::string peer = peer_of(req);
    const std::string shown = code.value_or(raw_code.substr(0, 20));
    if (!code) return use_room(ctx, to, peer, shown, respond, std::move(use), {});
    // A room not in memory is read from the store off the I/O threads (room_registry.hpp).
    auto given = [&ctx, to, peer = std::move(peer), shown, respond, use = std::move(use)](Room_registry::Acquired acquired) mutable {
        // This runs on its own, outside handle_request's boundary.
        try {
            use_room(ctx, to, peer, shown, respond, std::move(use), std::move(acquired));
        } catch (...) {
            log_exception("http_room");
            respond(internal_error_response(to.version, to.keep_alive));
        }
    };
    ctx.rooms->acquire(*code, ctx.ioc.get_executor(), std::move(given));
}

}  // namespace

std::string peer_of(const Request& req) { return std::string(req[peer_field]); }

namespace {

// Whether a request that may carry a body says it is JSON. Browsers send text/plain, form
// and multipart bodies to any origin without asking first, never application/json: a page a
// participant opens could otherwise post to the API with the participant's network position.
bool needs_json_body(const Request& req)
{
    const auto method = req.method();
    return method == http::verb::post || method == http::verb::put || method == http::verb::patch ||
           (method == http::verb::delete_ && !req.body().empty());
}

bool says_json(const Request& req)
{
    std::string type(req[http::field::content_type]);
    type = type.substr(0, type.find(';'));
    std::erase_if(type, [](char c) { return c == ' ' || c == '\t'; });
    std::transform(type.begin(), type.end(), type.begin(), [](unsigned char c) { return std::tolower(c); });
    return type == "application/json";
}

void route(Server_context& ctx, const Connection_info& connection, Request&& req, const Responder& respond)
{
    // The handlers read the client's address (client_address.hpp) from the request; whatever
    // the client itself sent under that name is replaced.
    req.set(peer_field, client_address(ctx, connection.peer, req).to_string());
    auto [path, query] = split_target(req.target());
    auto parts = segments(path);
    const auto method = req.method();
    const bool get = method == http::verb::get || method == http::verb::head;

    if (path == "/healthz" && get) return respond(text_response(req, http::status::ok, "text/plain", "ok\n"));
    if (path == "/readyz" && get) return answer_readiness(ctx, req, respond);
    if (path == "/metrics" && get) return answer_metrics(ctx, req, respond);

    if (!parts.empty() && parts[0] == "api") {
        if (needs_json_body(req) && !says_json(req))
            return respond(error_response(req, http::status::unsupported_media_type, to_string(Error_code::bad_request),
                                          "API requests with a body must send it as JSON "
                                          "(Content-Type: application/json)."));
        // Notes, history and processes (meeting_api.hpp).
        if (handle_meeting_api(ctx, req, parts, query, respond)) return;
        // Deleting a meeting, and the access log (retention.hpp, access_log.hpp).
        if (handle_retention_api(ctx, req, parts, respond)) return;
        if (handle_access_log_api(ctx, req, parts, query, respond)) return;
        if (parts.size() == 2 && parts[1] == "rooms" && method == http::verb::post) return create_room(ctx, req, respond);
        if (parts.size() == 2 && parts[1] == "templates" && get) {
            std::string lang = query_param(query, "language").value_or("");
            return respond(json_response(req, http::status::ok, ctx.assets.templates.list(is_language(lang) ? lang : "fi")));
        }
        if (parts.size() == 3 && parts[1] == "rooms" && get) {
            auto shared = std::make_shared<Request>(std::move(req));
            auto wall = wall_address_for(ctx, connection, *shared);
            return with_room(ctx, *shared, parts[2], respond, [shared, wall](const json& state, const Room_record&) {
                const json& room = state["room"];
                return json_response(*shared, http::status::ok,
                                     {{"code", room["code"]}, {"title", room["title"]}, {"language", room["language"]},
                                      {"locked", room["locked"]}, {"status", room["status"]},
                                      {"join", wall.join(room.value("code", ""))}});
            });
        }
        if (parts.size() == 4 && parts[1] == "rooms" && parts[3] == "qr.svg" && get) {
            auto code = normalize_code(parts[2]);
            if (!code || !ctx.store.room_exists(*code))
                return respond(error_response(req, Error_code::unknown_room, "There is no room with this code."));
            // The wall's join link (public_url.hpp): never the Host the projector's browser used.
            auto svg = qr_svg(wall_address_for(ctx, connection, req).join_url(*code));
            if (!svg) return respond(error_response(req, Error_code::internal, "The QR code could not be made."));
            return respond(text_response(req, http::status::ok, "image/svg+xml", std::move(*svg)));
        }
        return respond(error_response(req, Error_code::not_found, "No such API path."));
    }

    if (!get) return respond(error_response(req, http::status::method_not_allowed, to_string(Error_code::bad_request), "Use GET for pages."));
    if (path == "/" || path == "/index.html") return respond(serve_file(ctx, req, "web/index.html"));
    if (parts.size() == 2 && parts[0] == "r") return respond(serve_file(ctx, req, "web/room.html"));
    if (parts.size() == 2 && parts[0] == "screen") return respond(serve_file(ctx, req, "web/screen.html"));
    if (path == "/guide") return respond(serve_file(ctx, req, "web/guide.html"));
    if (parts.size() >= 2 && parts[0] == "static") {
        fs::path rel = "web";
        for (std::size_t i = 1; i < parts.size(); ++i) rel /= parts[i];
        return respond(serve_file(ctx, req, rel));
    }
    if (parts.size() == 2 && parts[0] == "i18n") return respond(serve_file(ctx, req, fs::path("i18n") / parts[1]));
    respond(error_response(req, Error_code::not_found, "No such page."));
}

}  // namespace

void handle_request(Server_context& ctx, const Connection_info& connection, Request&& req, Responder respond)
{
    // The exception boundary of HTTP: a fault answers 500 once and the server goes on.
    const unsigned version = req.version();
    const bool keep_alive = req.keep_alive();
    auto answered = std::make_shared<std::atomic<bool>>(false);
    Responder once = [answered, respond = std::move(respond)](Response res) {
        if (!answered->exchange(true)) respond(std::move(res));
    };
    try {
        route(ctx, connection, std::move(req), once);
    } catch (const Store_error& e) {
        // The store cannot be read or written right now: the client may try again later.
        log_error("store_failed", e.what());
        Request bare;
        bare.version(version);
        bare.keep_alive(keep_alive);
        once(error_response(bare, Error_code::unavailable, "The database cannot be used right now; try again in a moment."));
    } catch (...) {
        log_exception("http");
        once(internal_error_response(version, keep_alive));
    }
}

}  // namespace keha::server
