#pragma once
// One line per event on stderr, with its level. Callers pass ids, codes and counts only: never
// item text, names, keys or tokens.
//
// When stderr is the journal's stream (JOURNAL_STREAM names it, systemd.exec(5)), each line
// starts with its syslog priority, <3> <4> <6> or <7>, and journald keeps the level and the
// time; otherwise the line reads "2026-05-04T09:30:00Z warning event detail".
#include <optional>
#include <string_view>

namespace keha::server {

enum class Log_level { error, warning, info, debug };

// "error", "warning", "info", "debug"; nothing for another word.
std::optional<Log_level> log_level_named(std::string_view name);
// Lines less important than `level` are left out (the default: info).
void set_log_level(Log_level level);

void log_error(std::string_view event, std::string_view detail = {});    // the server could not do its work
void log_warning(std::string_view event, std::string_view detail = {});  // something an operator should look at
void log_info(std::string_view event, std::string_view detail = {});     // what happened, for the record
void log_debug(std::string_view event, std::string_view detail = {});    // ordinary noise, e.g. a browser going away

}  // namespace keha::server
