#pragma once
// How a stored room becomes its state: the snapshot with the patch of every op after it
// applied in seq order. The one fold of the server: rooms load this way (room.cpp), history
// reads it (Store::state_at) and keha-server check replays it (store_check.cpp).
#include <functional>
#include <string>
#include <vector>

#include "keha/json.hpp"
#include "store.hpp"

namespace keha::server {

using Replayed = std::function<void(const Op_record& op, const json& patch)>;

// Applies each op's patch to `state`, in the order given; `each(op, patch)` runs after each
// one is applied. Throws (json's exceptions) on a patch that is not JSON or does not apply.
void replay(json& state, const std::vector<Op_record>& ops, const Replayed& each = {});

// The snapshot (JSON text) with `ops` replayed onto it, normalized as every state read from
// the store is (rooms stored before sectors had keys hold their labels). Throws as replay.
json fold(const std::string& snapshot, const std::vector<Op_record>& ops, const Replayed& each = {});

}  // namespace keha::server
