#include "item_fields.hpp"

#include "keha/state.hpp"

namespace keha::desk {

std::vector<std::string_view> item_fields(std::string_view board, bool facilitator)
{
    std::vector<std::string_view> out;
    for (std::string_view f : keha::board_fields(board))
        if (f != "turn" || facilitator) out.push_back(f);
    return out;
}

}  // namespace keha::desk
