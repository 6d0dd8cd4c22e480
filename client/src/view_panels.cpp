#include "view_panels.hpp"

#include <fstream>

#include "app_state.hpp"

namespace keha::desk {

void Console_panels::poll(App_state& app)
{
    exporting.poll(app);
    records.poll(app);
    history.poll(app);
    process.poll(app);
}

bool Console_panels::busy(const App_state& app) const
{
    return exporting.busy() || records.busy() || history.busy() || process.busy(app);
}

std::string failure_text(const Strings& str, int status, const std::string& error, const char* failed_key)
{
    return status == 0 ? std::string(str("desk.export.no_answer")) : std::string(str(failed_key)) + " (" + error + ")";
}

bool save_file(const std::string& path, const std::string& bytes)
{
    std::ofstream out(path, std::ios::binary);
    out << bytes;
    out.close();
    return static_cast<bool>(out);
}

std::string path_for_format(std::string path, const std::string& format, std::optional<std::uint64_t> seq)
{
    auto dot = path.rfind('.');
    auto slash = path.rfind('/');
    if (dot != std::string::npos && (slash == std::string::npos || dot > slash)) path = path.substr(0, dot);
    if (seq) {
        std::string suffix = "-" + std::to_string(*seq);
        if (path.size() < suffix.size() || path.compare(path.size() - suffix.size(), suffix.size(), suffix) != 0)
            path += suffix;
    }
    return path + "." + format;
}

}  // namespace keha::desk
