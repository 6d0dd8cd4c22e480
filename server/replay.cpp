#include "replay.hpp"

#include "keha/private_writing.hpp"
#include "keha/sectors.hpp"
#include "keha/spotlight.hpp"

namespace keha::server {

void replay(json& state, const std::vector<Op_record>& ops, const Replayed& each)
{
    for (const auto& op : ops) {
        json patch = json::parse(op.patch);
        state.patch_inplace(patch);
        if (each) each(op, patch);
    }
}

json fold(const std::string& snapshot, const std::vector<Op_record>& ops, const Replayed& each)
{
    json state = json::parse(snapshot);
    // Rooms stored before a key of today's state existed gain its default first, so that the
    // ops written since (which assume it) apply.
    private_writing_defaults(state);
    spotlight_defaults(state);
    replay(state, ops, each);
    sector_keys_in(state);
    // Rooms stored before the voting session get its default (docs/protocol.md §5).
    if (state.is_object() && !state.contains("voting")) state["voting"] = nullptr;
    return state;
}

}  // namespace keha::server
