#include "replay.hpp"

namespace keha::server {

void replay(json& state, const std::vector<Op_record>& ops,
            const std::function<void(const Op_record& op, const json& patch)>& each)
{
    for (const auto& op : ops) {
        json patch = json::parse(op.patch);
        state.patch_inplace(patch);
        if (each) each(op, patch);
    }
}

}  // namespace keha::server
