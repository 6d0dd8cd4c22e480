// The browser view's pages and files, the translation catalogs and the list of templates
// (docs/protocol.md §1, §2): read from the assets, never from the store.
#include <filesystem>
#include <fstream>
#include <sstream>

#include "keha/i18n.hpp"
#include "http_handlers.hpp"
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

// The file at `relative` under the assets; 404 for anything outside them.
Response serve_file(const Http_call& call, const fs::path& relative)
{
    for (const auto& part : relative)
        if (part == ".." || part == ".") return error_response(call.request, Error_code::not_found, "No such file.");
    fs::path file = call.ctx.assets.root / relative;
    std::ifstream in(file, std::ios::binary);
    if (!in || fs::is_directory(file)) return error_response(call.request, Error_code::not_found, "No such file.");
    std::ostringstream body;
    body << in.rdbuf();
    return file_response(call.request, mime_type(file), body.str());
}

}  // namespace

namespace handlers {

void templates(const Call& call)
{
    const std::string language = call->query_value("language").value_or("");
    call->respond(json_response(call->request, http::status::ok,
                                call->ctx.assets.templates.list(is_language(language) ? language : "fi")));
}

void index_page(const Call& call) { call->respond(serve_file(*call, "web/index.html")); }
void room_page(const Call& call) { call->respond(serve_file(*call, "web/room.html")); }
void screen_page(const Call& call) { call->respond(serve_file(*call, "web/screen.html")); }
void guide_page(const Call& call) { call->respond(serve_file(*call, "web/guide.html")); }

void static_file(const Call& call)
{
    fs::path relative = "web";
    for (const auto& part : call->match.params) relative /= part;
    call->respond(serve_file(*call, relative));
}

void catalog_file(const Call& call) { call->respond(serve_file(*call, fs::path("i18n") / call->param(0))); }

}  // namespace handlers
}  // namespace keha::server
