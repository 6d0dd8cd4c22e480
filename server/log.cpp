#include "log.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>

#include "keha/text.hpp"

namespace keha::server {
namespace {

std::atomic<Log_level> shown{Log_level::info};

// systemd sets JOURNAL_STREAM to "device:inode" of the stream it connected; stderr counts as
// the journal only while it is that very stream (a redirect in a unit's shell keeps the variable).
bool stderr_is_journal()
{
    const char* value = std::getenv("JOURNAL_STREAM");
    if (!value) return false;
    unsigned long long device = 0, inode = 0;
    if (std::sscanf(value, "%llu:%llu", &device, &inode) != 2) return false;
    struct stat st {};
    if (::fstat(STDERR_FILENO, &st) != 0) return false;
    return static_cast<unsigned long long>(st.st_dev) == device && static_cast<unsigned long long>(st.st_ino) == inode;
}

void write_line(Log_level level, std::string_view event, std::string_view detail)
{
    if (level > shown.load(std::memory_order_relaxed)) return;
    static const bool journal = stderr_is_journal();
    static constexpr const char* prefixes[] = {"<3>", "<4>", "<6>", "<7>"};
    static constexpr const char* words[] = {"error", "warning", "info", "debug"};
    const auto index = static_cast<std::size_t>(level);
    std::string line;
    if (journal) {
        line = prefixes[index];
    } else {
        using namespace std::chrono;
        line = iso8601_utc(duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count());
        line += ' ';
        line += words[index];
        line += ' ';
    }
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

}  // namespace

std::optional<Log_level> log_level_named(std::string_view name)
{
    if (name == "error") return Log_level::error;
    if (name == "warning") return Log_level::warning;
    if (name == "info") return Log_level::info;
    if (name == "debug") return Log_level::debug;
    return std::nullopt;
}

void set_log_level(Log_level level) { shown.store(level, std::memory_order_relaxed); }

void log_error(std::string_view event, std::string_view detail) { write_line(Log_level::error, event, detail); }
void log_warning(std::string_view event, std::string_view detail) { write_line(Log_level::warning, event, detail); }
void log_info(std::string_view event, std::string_view detail) { write_line(Log_level::info, event, detail); }
void log_debug(std::string_view event, std::string_view detail) { write_line(Log_level::debug, event, detail); }

}  // namespace keha::server
