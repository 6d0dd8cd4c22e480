#pragma once
// One line per event on stderr. Callers pass ids, codes and counts only: never item text,
// names, keys or tokens.
#include <string_view>

namespace keha::server {

void log_line(std::string_view event, std::string_view detail = {});

}  // namespace keha::server
