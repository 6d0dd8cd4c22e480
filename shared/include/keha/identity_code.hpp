#pragma once
// Finnish personal identity codes (henkilötunnus) in meeting text. A development meeting is
// not a client record (docs/privacy.md): both clients warn before export when any text
// looks like one, and show where.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "keha/json.hpp"

namespace keha {

// DDMMYY, a century sign (+, -, A–F, Y, X, W, V, U), three digits and the check character
// ("0123456789ABCDEFHJKLMNPRSTUVWXY"[DDMMYYZZZ mod 31]), with a real date. Upper or lower case.
bool is_identity_code(std::string_view text);

struct Identity_code_match {
    std::size_t offset = 0;  // in bytes, into the text
    std::size_t length = 11;
};
// Identity codes standing on their own in `text` (not inside a longer run of letters or digits).
std::vector<Identity_code_match> find_identity_codes(std::string_view text);

// Every place in a state document where one appears:
// [{"board","id","field","offset","length","hidden"}] — board "room" (id null, field "title"),
// "participants" (id the pid, field "name"), "consent", "ratings" (id the index of a comment
// in the results, field "comment"), or a board name with the item id and its field ("text" or
// a board field). The code itself is not repeated.
json identity_code_warnings(const json& state);

}  // namespace keha
