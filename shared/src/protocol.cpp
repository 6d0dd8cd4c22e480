#include "keha/protocol.hpp"

#include <array>

namespace keha::protocol {
namespace {

constexpr std::array bye_reasons{Bye_reason::removed,       Bye_reason::room_closed,     Bye_reason::room_deleted,
                                 Bye_reason::slow_consumer, Bye_reason::server_shutdown, Bye_reason::rate_limited,
                                 Bye_reason::moved};

constexpr std::array error_codes{
    Error_code::bad_request,  Error_code::invalid,   Error_code::forbidden,    Error_code::not_found,
    Error_code::conflict,     Error_code::unknown_room, Error_code::unauthorized, Error_code::locked,
    Error_code::room_closed,  Error_code::rate_limited, Error_code::too_large,  Error_code::internal,
    Error_code::limit_reached, Error_code::unavailable, Error_code::listening,
};

}  // namespace

std::string_view to_string(Bye_reason reason)
{
    switch (reason) {
    case Bye_reason::removed: return "removed";
    case Bye_reason::room_closed: return "room_closed";
    case Bye_reason::room_deleted: return "room_deleted";
    case Bye_reason::slow_consumer: return "slow_consumer";
    case Bye_reason::server_shutdown: return "server_shutdown";
    case Bye_reason::rate_limited: return "rate_limited";
    case Bye_reason::moved: return "moved";
    }
    return "server_shutdown";
}

std::optional<Bye_reason> bye_reason_from_string(std::string_view text)
{
    for (auto reason : bye_reasons)
        if (to_string(reason) == text) return reason;
    return std::nullopt;
}

bool is_final(Bye_reason reason)
{
    return reason == Bye_reason::removed || reason == Bye_reason::room_closed || reason == Bye_reason::room_deleted;
}

std::optional<Error_code> error_code_from_string(std::string_view text)
{
    for (auto code : error_codes)
        if (keha::to_string(code) == text) return code;
    return std::nullopt;
}

}  // namespace keha::protocol
