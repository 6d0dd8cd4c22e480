#include "exception_boundary.hpp"

#include <cxxabi.h>

#include <cstdlib>
#include <memory>
#include <string>
#include <typeinfo>

#include "log.hpp"
#include "message.hpp"

namespace keha::server {
namespace {

constexpr std::string_view internal_text =
    "The server failed on this request because of a fault of its own. Try again; if it happens again, "
    "tell the organizer.";

std::string type_name(const std::type_info& type)
{
    int status = 0;
    std::unique_ptr<char, void (*)(void*)> name(abi::__cxa_demangle(type.name(), nullptr, nullptr, &status), std::free);
    return status == 0 && name ? std::string(name.get()) : std::string(type.name());
}

// what() on one log line: printable ASCII only, at most 200 characters.
std::string printable(std::string_view text)
{
    std::string out;
    for (char c : text.substr(0, 200)) out += c >= 0x20 && c < 0x7f ? c : '?';
    return out;
}

}  // namespace

void log_exception(std::string_view where, std::exception_ptr error)
{
    std::string detail = "where=" + std::string(where);
    try {
        if (error) std::rethrow_exception(error);
        detail += " type=none";
    } catch (const json::exception& e) {
        detail += " type=" + type_name(typeid(e)) + " id=" + std::to_string(e.id);
    } catch (const std::exception& e) {
        detail += " type=" + type_name(typeid(e)) + " what=\"" + printable(e.what()) + "\"";
    } catch (...) {
        detail += " type=unknown";
    }
    log_error("internal_error", detail);
}

Response internal_error_response(unsigned http_version, bool keep_alive)
{
    return error_response(Reply_to(http_version, keep_alive), Error_code::internal, internal_text);
}

Shared_text internal_error_message(const json& id)
{
    return error_message(id, Error_code::internal, std::string(internal_text));
}

}  // namespace keha::server
