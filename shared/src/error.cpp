#include "keha/error.hpp"

namespace keha {

std::string_view to_string(Error_code code)
{
    switch (code) {
    case Error_code::bad_request: return "bad_request";
    case Error_code::invalid: return "invalid";
    case Error_code::forbidden: return "forbidden";
    case Error_code::not_found: return "not_found";
    case Error_code::conflict: return "conflict";
    case Error_code::unknown_room: return "unknown_room";
    case Error_code::unauthorized: return "unauthorized";
    case Error_code::locked: return "locked";
    case Error_code::room_closed: return "room_closed";
    case Error_code::rate_limited: return "rate_limited";
    case Error_code::too_large: return "too_large";
    case Error_code::internal: return "internal";
    case Error_code::limit_reached: return "limit_reached";
    case Error_code::unavailable: return "unavailable";
    case Error_code::listening: return "listening";
    }
    return "bad_request";
}

}  // namespace keha
