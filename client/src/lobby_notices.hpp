#pragma once
// Which "<name> is waiting to join" notices the facilitator's console shows: one per person
// waiting in the lobby whom the facilitator has not yet seen in the full list or closed the
// notice of, the newest first and at most a few, the rest counted ("+N more" opens the list).
// A notice goes when its person is let in, refused or leaves; one who comes back is new again.
#include <cstddef>
#include <set>
#include <string>
#include <vector>

#include "document.hpp"

namespace keha::desk {

struct Lobby_notice_view {
    std::vector<const Person*> shown;  // newest first; points into the lobby given to update()
    std::size_t more = 0;              // those with a notice beyond `shown`
};

class Lobby_notices {
public:
    static constexpr std::size_t max_shown = 3;

    // The notices for the lobby now (first come first, as Document::lobby() gives it).
    Lobby_notice_view view(const std::vector<Person>& lobby) const;
    // Forgets the closed notices of those no longer waiting: called on every lobby seen, so
    // one who comes back has a notice again.
    void forget_gone(const std::vector<Person>& lobby);
    // Both: what the console does each frame.
    Lobby_notice_view update(const std::vector<Person>& lobby)
    {
        forget_gone(lobby);
        return view(lobby);
    }
    // The facilitator closed this person's notice; they stay waiting in the list.
    void dismiss(const std::string& pid);
    // The facilitator opened the list of those waiting: everyone in it has been seen.
    void seen_all(const std::vector<Person>& lobby);

private:
    std::set<std::string> dismissed_;  // pids, while they wait
};

}  // namespace keha::desk
