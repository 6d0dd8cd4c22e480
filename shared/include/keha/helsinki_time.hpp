#pragma once
// Finnish local time (Europe/Helsinki: EET, EEST by the EU rule) for the notes and the report.
#include <cstdint>
#include <string>
#include <utility>

namespace keha {

// Finnish local time of epoch milliseconds: {"2026-11-23", "11:05"}.
std::pair<std::string, std::string> helsinki_date_time(std::int64_t epoch_ms);

}  // namespace keha
