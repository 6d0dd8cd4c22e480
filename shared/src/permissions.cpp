#include "keha/permissions.hpp"

#include <array>

namespace keha {
namespace {

struct Rule {
    std::string_view cmd;
    bool facilitator, participant, screen, server;
};

// docs/protocol.md §6. Ownership (its author) is checked by the reducer on top of this.
constexpr std::array rules{
    Rule{"item.add", true, true, false, false},
    Rule{"item.edit", true, true, false, false},
    Rule{"item.move", true, true, false, false},
    Rule{"item.delete", true, true, false, false},
    Rule{"item.vote", true, true, false, false},
    Rule{"item.reveal", true, true, false, false},
    Rule{"phase.goto", true, false, false, false},
    Rule{"room.update", true, false, false, false},
    Rule{"room.lock", true, false, false, false},
    Rule{"room.close", true, false, false, false},
    Rule{"timer.start", true, false, false, false},
    Rule{"timer.pause", true, false, false, false},
    Rule{"timer.resume", true, false, false, false},
    Rule{"timer.reset", true, false, false, false},
    Rule{"hand.raise", true, true, false, false},
    Rule{"hand.lower", true, true, false, false},
    Rule{"participant.rename", true, true, false, false},
    Rule{"participant.remove", true, false, false, true},
    Rule{"participant.join", false, false, false, true},
    Rule{"participant.role", true, false, false, false},
    Rule{"participant.merge", true, false, false, false},
    Rule{"participant.admit", true, false, false, false},
    Rule{"room.settings", true, false, false, false},
    Rule{"consent.record", true, false, false, false},
    Rule{"item.approve", true, false, false, false},
    Rule{"item.decline", true, false, false, false},
    Rule{"phase.add", true, false, false, false},
    Rule{"phase.remove", true, false, false, false},
    Rule{"phase.move", true, false, false, false},
    Rule{"turns.reflecting.start", true, false, false, false},
    Rule{"turns.next", true, false, false, false},
    Rule{"turns.stage", true, false, false, false},
    Rule{"turns.end", true, false, false, false},
    Rule{"turns.round.start", true, false, false, false},
    Rule{"turns.round.pass", true, true, false, false},
    Rule{"turns.round.done", true, true, false, false},
    Rule{"turns.queue.start", true, false, false, false},
    Rule{"turns.floor.give", true, false, false, false},
    Rule{"turns.pairs.start", true, false, false, false},
    // Closing questionnaire: the facilitator opens and closes it; anyone in the room answers once.
    Rule{"ratings.open", true, false, false, false},
    Rule{"ratings.close", true, false, false, false},
    Rule{"rating.submit", true, true, false, false},
    // Which of the closed questionnaire's comments the wall and the participants see.
    Rule{"ratings.comment.show", true, false, false, false},
    // The server says how many held answers it wrote (docs/privacy.md, "Anonymous ratings").
    Rule{"ratings.stored", false, false, false, true},
    // Items from an earlier meeting of the process (the server supplies them with their
    // provenance), and an editable copy of a read-only imported item.
    Rule{"item.import", true, false, false, false},
    Rule{"item.copy", true, false, false, false},
    Rule{"participant.online", false, false, false, true},
    Rule{"participant.offline", false, false, false, true},
};

constexpr auto names = [] {
    std::array<std::string_view, rules.size()> out{};
    for (std::size_t i = 0; i < rules.size(); ++i) out[i] = rules[i].cmd;
    return out;
}();

}  // namespace

bool role_may(Role role, std::string_view cmd)
{
    for (const auto& r : rules) {
        if (r.cmd != cmd) continue;
        switch (role) {
        case Role::facilitator: return r.facilitator;
        case Role::participant: return r.participant;
        case Role::screen: return r.screen;
        case Role::server: return r.server;
        }
    }
    return false;
}

std::span<const std::string_view> known_commands() { return names; }

}  // namespace keha
