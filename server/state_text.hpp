#pragma once
// A room's state document as JSON text, kept per top-level key and written again only for the
// keys a patch changed: a welcome of a room with 2,000 items then copies the text of its boards
// instead of serialising them again for every member that joins (docs/architecture.md,
// "Members, views and hidden items").
#include <map>
#include <string>

#include "keha/json.hpp"

namespace keha::server {

class State_text {
public:
    // The text of `state`, byte for byte what dump_text(state) gives, as long as every change
    // to `state` since the last clear() was told to changed() (the room's patches are).
    std::string whole(const json& state);
    // `patch` (RFC 6902) was applied: the keys it touched are written again next time.
    void changed(const json& patch);
    // The state was replaced (a load, a roll-back).
    void clear() { parts_.clear(); }

private:
    std::map<std::string, std::string, std::less<>> parts_;  // top-level key -> its value's text
};

// The JSON text of `value` as every welcome writes it (invalid UTF-8 replaced, not refused).
std::string dump_text(const json& value);

}  // namespace keha::server
