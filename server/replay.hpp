#pragma once
// How a stored room becomes its state: the snapshot with the patch of every op after it
// applied in seq order. The server loads rooms this way (room.cpp) and keha-server check
// replays them the same way (store_check.cpp).
#include <functional>
#include <vector>

#include "keha/json.hpp"
#include "store.hpp"

namespace keha::server {

// Applies each op's patch to `state`, in the order given; `each(op, patch)` runs after each
// one is applied. Throws (json's exceptions) on a patch that is not JSON or does not apply.
void replay(json& state, const std::vector<Op_record>& ops,
            const std::function<void(const Op_record& op, const json& patch)>& each = {});

}  // namespace keha::server
