// Page writes per commit of the op log's layouts, in isolation: the same appends (many rooms,
// a few ops of different rooms in each commit) into the `ops` table as it was before schema
// version 5 (keyed by room and seq) and as keha-server makes it now, counted by SQLite itself
// (SQLITE_DBSTATUS_CACHE_WRITE). No network and no server at work: the layout alone, so the
// figure does not move with the machine's load. The server's own figure under load is in the
// rooms curve (its /metrics).
#pragma once

#include <nlohmann/json.hpp>

#include "targets.hpp"

namespace bench {

nlohmann::json layout_pages(const std::string& dir, int rooms);

}  // namespace bench
