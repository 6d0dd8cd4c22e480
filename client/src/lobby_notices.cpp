#include "lobby_notices.hpp"

#include <algorithm>

namespace keha::desk {

void Lobby_notices::forget_gone(const std::vector<Person>& lobby)
{
    std::erase_if(dismissed_, [&](const std::string& pid) {
        return std::none_of(lobby.begin(), lobby.end(), [&](const Person& p) { return p.pid == pid; });
    });
}

Lobby_notice_view Lobby_notices::view(const std::vector<Person>& lobby) const
{
    Lobby_notice_view view;
    for (auto it = lobby.rbegin(); it != lobby.rend(); ++it) {
        if (dismissed_.contains(it->pid)) continue;
        if (view.shown.size() < max_shown)
            view.shown.push_back(&*it);
        else
            ++view.more;
    }
    return view;
}

void Lobby_notices::dismiss(const std::string& pid) { dismissed_.insert(pid); }

void Lobby_notices::seen_all(const std::vector<Person>& lobby)
{
    for (const Person& p : lobby) dismissed_.insert(p.pid);
}

}  // namespace keha::desk
