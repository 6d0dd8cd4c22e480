#include "resume_tokens.hpp"

#include <cctype>
#include <cstdlib>
#include <ctime>
#include <fcntl.h>
#include <fstream>
#include <sys/stat.h>
#include <unistd.h>

#include "keha/code.hpp"

namespace keha::desk {
namespace fs = std::filesystem;

fs::path default_state_dir()
{
    if (const char* xdg = std::getenv("XDG_STATE_HOME"); xdg && *xdg == '/') return fs::path(xdg) / "keha";
    if (const char* home = std::getenv("HOME"); home && *home) return fs::path(home) / ".local" / "state" / "keha";
    return {};
}

fs::path Resume_tokens::file_for(std::string_view server, std::string_view code) const
{
    // "http://host:8080" + "K7Q4MXP2" → "http_host_8080_K7Q4MXP2": one name per server and room.
    std::string name;
    for (char c : std::string(server) + "_" + std::string(code)) {
        const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
        if (plain) name += c;
        else if (name.empty() || name.back() != '_') name += '_';
    }
    return dir_ / "tokens" / name;
}

std::optional<Resume_tokens::Remembered> Resume_tokens::load(std::string_view server, std::string_view code) const
{
    if (dir_.empty()) return std::nullopt;
    std::ifstream in(file_for(server, code));
    Remembered r;
    if (!in || !std::getline(in, r.token) || r.token.empty()) return std::nullopt;
    std::getline(in, r.name);
    return r;
}

bool Resume_tokens::save(std::string_view server, std::string_view code, std::string_view token,
                         std::string_view name) const
{
    if (dir_.empty() || token.empty()) return false;
    const fs::path file = file_for(server, code);
    std::error_code ec;
    fs::create_directories(file.parent_path(), ec);
    if (ec) return false;
    ::chmod(dir_.c_str(), 0700);
    ::chmod(file.parent_path().c_str(), 0700);
    // Written to a new file of mode 0600 and renamed over, so no reader sees half a token.
    const fs::path tmp = file.string() + ".new";
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) return false;
    std::string line = std::string(token) + "\n" + std::string(name.substr(0, name.find('\n'))) + "\n";
    bool ok = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size());
    ok = ::close(fd) == 0 && ok;
    if (ok) fs::rename(tmp, file, ec);
    if (!ok || ec) {
        fs::remove(tmp, ec);
        return false;
    }
    return true;
}

void Resume_tokens::forget(std::string_view server, std::string_view code) const
{
    if (dir_.empty()) return;
    std::error_code ec;
    fs::remove(file_for(server, code), ec);
}

std::optional<Rejoin_link> parse_rejoin_link(std::string_view text)
{
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\n' || text.back() == '\r'))
        text.remove_suffix(1);
    const auto r = text.find("/r/");
    const auto hash = text.find('#');
    if (r == std::string_view::npos || hash == std::string_view::npos || hash < r) return std::nullopt;
    std::string_view path_code = text.substr(r + 3, hash - r - 3);
    if (auto q = path_code.find('?'); q != std::string_view::npos) path_code = path_code.substr(0, q);
    auto code = keha::normalize_code(path_code);
    if (!code) return std::nullopt;
    std::string_view fragment = text.substr(hash + 1);
    std::string token;
    while (!fragment.empty()) {
        auto amp = fragment.find('&');
        std::string_view pair = fragment.substr(0, amp);
        if (pair.starts_with("token=")) token = std::string(pair.substr(6));
        if (amp == std::string_view::npos) break;
        fragment.remove_prefix(amp + 1);
    }
    // Tokens are URL-safe base64 or hex: nothing to decode, and nothing else is accepted.
    if (token.empty() || token.size() > 200) return std::nullopt;
    for (char c : token)
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'))
            return std::nullopt;
    return Rejoin_link{*code, token};
}

std::string make_rejoin_link(std::string_view base, std::string_view code, std::string_view token)
{
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string link = std::string(base) + "/r/" + std::string(code) + "#token=";
    for (unsigned char c : token) {
        const bool plain = std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '!' || c == '~' ||
                           c == '*' || c == '\'' || c == '(' || c == ')';
        if (plain) {
            link += static_cast<char>(c);
        } else {
            link += '%';
            link += hex[c >> 4];
            link += hex[c & 15];
        }
    }
    return link;
}

std::optional<Rejoin_offer> parse_rejoin_offer(const json& message)
{
    if (!message.is_object() || message.value("type", "") != "rejoin_code") return std::nullopt;
    const auto code = message.find("code");
    const auto until = message.find("expires_at_ms");
    if (code == message.end() || !code->is_string() || until == message.end() || !until->is_number_integer())
        return std::nullopt;
    auto normalized = parse_rejoin_code(code->get<std::string>());
    if (!normalized) return std::nullopt;
    // Shown as the server wrote it (with its dash), which is easier to read aloud and type.
    return Rejoin_offer{code->get<std::string>(), until->get<std::int64_t>()};
}

std::string local_clock_text(std::int64_t server_ms, std::int64_t server_offset_ms)
{
    std::time_t t = static_cast<std::time_t>((server_ms - server_offset_ms) / 1000);
    std::tm tm{};
    localtime_r(&t, &tm);
    char text[8];
    std::strftime(text, sizeof text, "%H:%M", &tm);
    return text;
}

std::optional<std::string> parse_rejoin_code(std::string_view text)
{
    std::string code;
    for (char c : text) {
        if (c == '-' || c == ' ' || c == '\t' || c == '\n' || c == '\r') continue;
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
        if (keha::code_alphabet.find(c) == std::string_view::npos) return std::nullopt;
        code += c;
    }
    if (code.size() != 10) return std::nullopt;
    return code;
}

}  // namespace keha::desk
