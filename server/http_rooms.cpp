// Rooms over HTTP (docs/protocol.md §2, §11.1): creating one, the public facts a join page
// needs, the QR code of its join address, and deleting a meeting.
#include "keha/code.hpp"
#include "keha/i18n.hpp"
#include "keha/notes.hpp"
#include "keha/provenance.hpp"
#include "keha/state.hpp"
#include "keha/text.hpp"
#include "access_log.hpp"
#include "exception_boundary.hpp"
#include "http_auth.hpp"
#include "http_handlers.hpp"
#include "http_processes.hpp"
#include "log.hpp"
#include "message.hpp"
#include "qr.hpp"
#include "room_registry.hpp"
#include "secrets.hpp"
#include "server_context.hpp"

namespace keha::server {
namespace {

// The fields of POST /api/rooms and their types, before anything is looked up.
std::optional<Error> check_room_body(const std::optional<json>& body, Parse_problem problem)
{
    if (problem == Parse_problem::too_deep)
        return Error{Error_code::bad_request, "The body " + std::string(describe(problem)) + "."};
    if (!body || !body->is_object())
        return Error{Error_code::bad_request, "The body must be a JSON object like {\"title\": \"...\"}."};
    for (const auto& [k, v] : body->items())
        if (k != "title" && k != "template" && k != "language" && k != "process" && k != "team" && k != "import" &&
            k != "process_key")
            return Error{Error_code::invalid, "Unknown field \"" + k + "\"."};
    const json& b = *body;
    if (!b.contains("title") || !b["title"].is_string())
        return Error{Error_code::bad_request, "The room needs a \"title\" (text)."};
    auto title_len = text_length(b["title"].get<std::string>());
    if (!title_len || *title_len < 1 || *title_len > 200)
        return Error{Error_code::invalid, "The title must be 1–200 characters, without control characters."};
    for (const char* k : {"template", "language", "process", "process_key"})
        if (b.contains(k) && !b[k].is_string() && !(std::string_view(k) == "process" && b[k].is_null()))
            return Error{Error_code::bad_request, std::string("The field \"") + k + "\" must be text."};
    if (!is_language(b.value("language", "fi"))) return Error{Error_code::invalid, "The language must be fi, sv or en."};
    return std::nullopt;
}

struct New_room {
    Room_meta meta;
    const json* room_template = nullptr;
    std::optional<json> initial_state;  // an imported meeting's, else the template's
    std::string process_id;
    std::int64_t created = 0;
};

// Stores the room under a free code and answers once the store's writer has it (meanwhile
// the pool's thread serves others: the write may wait for the database's lock for seconds).
// The keys are answered once and kept only as hashes.
void store_room(Http_call& call, New_room room)
{
    const std::string facilitator_key = random_secret();
    const std::string screen_key = random_secret();
    Room_meta& meta = room.meta;
    for (int attempt = 0; attempt < 20; ++attempt) {
        meta.code = make_code(random_u32);
        if (call.ctx.store.room_exists(meta.code)) continue;
        json state = room.initial_state ? *room.initial_state : make_state(meta, *room.room_template);
        state["room"]["code"] = meta.code;
        call.ctx.store.create_room_async(
            {meta.code, sha256_hex(facilitator_key), sha256_hex(screen_key), room.created, room.process_id}, state.dump(),
            [to = Reply_to(call.request), respond = call.respond, code = meta.code, template_id = meta.template_id,
             facilitator_key, screen_key](const std::string& error) {
                if (!error.empty()) {
                    log_error("store_failed", "creating a room: " + error);
                    return respond(error_response(to, Error_code::unavailable,
                                                  "The database cannot save right now; try again in a moment."));
                }
                log_info("room_created", "room=" + code + " template=" + template_id);
                respond(json_response(to, http::status::created,
                                      {{"code", code}, {"facilitator_key", facilitator_key}, {"screen_key", screen_key}}));
            });
        return;
    }
    call.respond(error_response(call.request, Error_code::unavailable, "No free room code was found; try again."));
}

// The rest of creating a room, on the blocking pool: the process fields read the store.
void create_room_off_io(Http_call& call, const json& body)
{
    New_room room;
    room.meta.title = body["title"];
    room.meta.language = body.value("language", "fi");
    room.meta.template_id = body.value("template", call.ctx.assets.templates.default_id());
    room.room_template = call.ctx.assets.templates.find(room.meta.template_id);
    if (!room.room_template)
        return call.respond(error_response(call.request, Error_code::invalid,
                                           "There is no template \"" + room.meta.template_id +
                                               "\"; GET /api/templates lists them."));
    room.created = now_ms();
    room.meta.created_at = iso8601_utc(room.created);
    // "process", "process_key" and "team" (http_processes.hpp).
    if (auto e = room_process_fields(call.ctx, body, room.meta, room.process_id))
        return call.respond(error_response(call.request, e->code, e->message));
    // "import": the JSON notes of a meeting, which become the new room's first state.
    if (body.contains("import")) {
        if (auto problem = check_notes_json(body["import"]))
            return call.respond(error_response(call.request, Error_code::invalid, *problem));
        room.initial_state = state_from_notes(body["import"], room.meta, *room.room_template);
    }
    store_room(call, std::move(room));
}

// The public facts of the room, read on its strand; then the room is let go.
void answer_room_info(const Call& call, const std::shared_ptr<Room>& room, Wall_address wall)
{
    room->with_state([call, room, wall = std::move(wall)](const json& state, const Room_record&) {
        // This runs on the room's strand, outside handle_request's boundary.
        try {
            const json& r = state["room"];
            call->respond(json_response(call->request, http::status::ok,
                                        {{"code", r["code"]}, {"title", r["title"]}, {"language", r["language"]},
                                         {"locked", r["locked"]}, {"status", r["status"]},
                                         {"join", wall.join(r.value("code", ""))}}));
        } catch (...) {
            call->respond(fault_response(call->request, std::current_exception(), "http_room"));
        }
        call->ctx.rooms->release(room);
    });
}

void answer_unknown_room(const Call& call, const std::optional<std::string>& code)
{
    log_access(call->ctx, call->request, code.value_or(call->param(0).substr(0, 20)), "unknown_room", "",
               route_name(*call->match.route));
    call->respond(error_response(call->request, Error_code::unknown_room, "There is no room with this code; check the code."));
}

}  // namespace

namespace handlers {

void create_room(const Call& call)
{
    if (auto refusal = organizer_refusal(call->ctx, call->request, "Creating a room", Without_organizer_key::open))
        return call->respond(std::move(refusal->response));
    Parse_problem problem{};
    auto body = parse_strict(call->request.body(), &problem);
    if (auto e = check_room_body(body, problem)) return call->respond(error_response(call->request, e->code, e->message));
    run_off_io(call, [body = std::move(*body)](Http_call& c) { create_room_off_io(c, body); });
}

void room_info(const Call& call)
{
    auto code = normalize_code(call->param(0));
    if (!code) return answer_unknown_room(call, code);
    // A room not in memory is read from the store on the blocking pool (room_registry.hpp).
    auto wall = wall_address_for(call->ctx, call->connection, call->request);
    call->ctx.rooms->acquire(*code, call->ctx.ioc.get_executor(), [call, code, wall](Room_registry::Acquired acquired) {
        // This runs on its own, outside handle_request's boundary.
        try {
            if (acquired.error) std::rethrow_exception(acquired.error);
            if (!acquired.room) return answer_unknown_room(call, code);
            answer_room_info(call, acquired.room, wall);
        } catch (...) {
            call->respond(fault_response(call->request, std::current_exception(), "http_room"));
        }
    });
}

void room_qr(const Call& call)
{
    answer_off_io(call, [](Http_call& c) {
        auto code = normalize_code(c.param(0));
        if (!code || !c.ctx.store.room_exists(*code))
            return error_response(c.request, Error_code::unknown_room, "There is no room with this code.");
        // The wall's join link (public_url.hpp): never the Host the projector's browser used.
        auto svg = qr_svg(wall_address_for(c.ctx, c.connection, c.request).join_url(*code));
        if (!svg) return error_response(c.request, Error_code::internal, "The QR code could not be made.");
        return text_response(c.request, http::status::ok, "image/svg+xml", std::move(*svg));
    });
}

void delete_room(const Call& call)
{
    run_off_io(call, [](Http_call& c) {
        auto found = facilitator_room(c.ctx, c.request, c.param(0), "Deleting the meeting");
        if (auto* refusal = std::get_if<Response>(&found)) return c.respond(std::move(*refusal));
        const std::string code = std::get<Room_record>(found).code;
        log_access(c.ctx, c.request, code, "room_deleted", "facilitator");
        log_info("room_deleted", "room=" + code + " by=facilitator");
        c.ctx.rooms->remove(code, "room_deleted", [to = Reply_to(c.request), code, respond = c.respond](bool ok) {
            if (!ok) return respond(error_response(to, Error_code::unavailable, "The meeting could not be deleted; try again."));
            respond(json_response(to, http::status::ok, {{"code", code}, {"deleted", true}}));
        });
    });
}

}  // namespace handlers
}  // namespace keha::server
