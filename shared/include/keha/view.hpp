#pragma once
#include <map>
#include <string>
#include <vector>

#include "keha/json.hpp"
#include "keha/role.hpp"

namespace keha {

struct Viewer {
    std::string pid;
    Role role;
};

// A held item: hidden, or pending in a moderated room. Only its author and the facilitators
// read it; the notes, the report and imports leave it out.
bool is_held(const json& item);

// Hidden items in full for their author and facilitators, and for everyone else without
// their text and board fields (docs/protocol.md §6).
bool sees_hidden_of(const Viewer& viewer, std::string_view author);
json view_for(const json& state, const Viewer& viewer);
// True only when view_for would give the state unchanged (false: make the view), so a
// welcome can skip the copy.
bool view_is_whole(const json& state, const Viewer& viewer);

// A patch as everyone who is not privileged sees it, and who is privileged: the authors
// of hidden items the patch touches. `state_after` is the state the patch produced.
// While vote counts are kept back, a participant whose own votes the patch changes gets
// `own[pid]`: the redacted patch with its own votes in it. `actor` is who sent the command
// (whose vote a taken-back vote was).
struct Patch_views {
    json full;
    json redacted;
    std::vector<std::string> authors;  // empty when full == redacted
    std::map<std::string, json> own;
    // False when the patch holds a voting session's ballot (docs/protocol.md §7): then only the
    // ballot's owner gets the full patch, facilitators no more than anyone else.
    bool facilitators_privileged = true;
    bool privileged(const Viewer& viewer) const;
    const json& for_viewer(const Viewer& viewer) const;  // full, own or redacted
};
Patch_views split_patch(const json& patch, const json& state_after, const std::string& actor = {});

}  // namespace keha
