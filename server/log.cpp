#include "log.hpp"

#include <chrono>
#include <cstdio>
#include <mutex>
#include <string>

#include "keha/text.hpp"

namespace keha::server {

void log_line(std::string_view event, std::string_view detail)
{
    using namespace std::chrono;
    auto ms = duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
    std::string line = iso8601_utc(ms);
    line += ' ';
    line += event;
    if (!detail.empty()) {
        line += ' ';
        line += detail;
    }
    line += '\n';
    static std::mutex mutex;
    std::lock_guard lock(mutex);
    std::fputs(line.c_str(), stderr);
}

}  // namespace keha::server
