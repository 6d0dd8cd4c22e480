#include "document.hpp"

#include <algorithm>
#include <cstdio>

#include "keha/notes.hpp"
#include "keha/state.hpp"

namespace keha::desk {
namespace {

const json& empty_object()
{
    static const json object = json::object();
    return object;
}
const json& empty_array()
{
    static const json array = json::array();
    return array;
}

std::string str(const json& object, const char* key)
{
    if (!object.is_object()) return {};
    auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}


bool board_order(const json* a, const json* b)
{
    double oa = a->value("order", 0.0), ob = b->value("order", 0.0);
    if (oa != ob) return oa < ob;
    std::string ca = str(*a, "created_at"), cb = str(*b, "created_at");
    if (ca != cb) return ca < cb;
    return str(*a, "id") < str(*b, "id");
}

std::int64_t number_or(const json& object, const char* key, std::int64_t fallback)
{
    if (!object.is_object()) return fallback;
    auto it = object.find(key);
    return it != object.end() && it->is_number() ? it->get<std::int64_t>() : fallback;
}

}  // namespace

Apply_result Document::apply_welcome(const json& welcome)
{
    you_ = str(welcome, "you");
    role_ = str(welcome, "role");
    auto seq = welcome.value("seq", std::uint64_t{0});
    if (auto it = welcome.find("state"); it != welcome.end() && it->is_object()) {
        state_ = *it;
        seq_ = seq;
        changed();
        return Apply_result::applied;
    }
    auto replay = welcome.find("replay");
    if (replay == welcome.end() || !replay->is_array() || state_.is_null()) return Apply_result::failed;
    for (const json& entry : *replay) {
        auto r = apply_patch_message(entry);
        if (r == Apply_result::gap || r == Apply_result::failed) return r;
    }
    if (seq_ != seq) return Apply_result::gap;
    changed();
    return Apply_result::applied;
}

Apply_result Document::apply_patch_message(const json& message)
{
    if (state_.is_null()) return Apply_result::gap;
    auto seq = message.value("seq", std::uint64_t{0});
    if (seq <= seq_) return Apply_result::stale;
    if (seq != seq_ + 1) return Apply_result::gap;
    auto r = apply_patch(message.value("patch", json::array()));
    if (r == Apply_result::applied) seq_ = seq;
    return r;
}

Apply_result Document::apply_patch(const json& patch)
{
    if (!patch.is_array()) return Apply_result::failed;
    if (patch.empty()) return Apply_result::applied;
    try {
        // In place: a copy of a 2,000-item room per patch would cost more than the patch.
        // When it throws, the copy may be half-changed; the caller asks for the full state.
        state_.patch_inplace(patch);
    } catch (const json::exception&) {
        return Apply_result::failed;
    }
    changed();
    return Apply_result::applied;
}

void Document::changed() { ++version_; }

const json& Document::room() const
{
    if (!state_.is_object()) return empty_object();
    auto it = state_.find("room");
    return it != state_.end() && it->is_object() ? *it : empty_object();
}
std::string Document::room_code() const { return str(room(), "code"); }
std::string Document::room_title() const { return str(room(), "title"); }
std::string Document::room_language() const { return str(room(), "language"); }
bool Document::locked() const { return room().value("locked", false); }
bool Document::closed() const { return str(room(), "status") == "closed"; }

const json& Document::phases() const
{
    if (!state_.is_object()) return empty_array();
    auto it = state_.find("phases");
    return it != state_.end() && it->is_array() ? *it : empty_array();
}

int Document::current_phase_index() const
{
    if (!state_.is_object()) return -1;
    std::string id = str(state_, "phase");
    const json& list = phases();
    for (std::size_t i = 0; i < list.size(); ++i)
        if (str(list[i], "id") == id) return static_cast<int>(i);
    return -1;
}

const json* Document::current_phase() const
{
    int i = current_phase_index();
    return i < 0 ? nullptr : &phases()[static_cast<std::size_t>(i)];
}

std::string Document::current_board() const
{
    const json* phase = current_phase();
    return phase ? str(*phase, "board") : std::string();
}

void Document::derive() const
{
    if (derived_.version == version_) return;
    Derived& d = derived_;
    d.version = version_;
    d.boards.clear();
    d.timeline.clear();
    d.hands.clear();
    d.people.clear();
    const char* statuses[] = {"proposed", "agreed", "done"};
    for (int i = 0; i < 3; ++i) d.plan[i] = Plan_group{statuses[i], {}};
    if (!state_.is_object()) return;

    const json& boards = state_.contains("boards") && state_["boards"].is_object() ? state_["boards"] : empty_object();
    for (const auto& [name, board] : boards.items()) {
        if (!board.is_object() || !board.contains("items") || !board["items"].is_object()) continue;
        const json& items = board["items"];
        auto& out = d.boards[name];
        out.reserve(items.size());
        for (const auto& item : items) out.push_back(&item);
        std::stable_sort(out.begin(), out.end(), board_order);
        if (name == "timeline") {
            // Everyone's visible items chronologically; the hidden ones that reach us
            // (our own, or redacted placeholders) after them in board order.
            d.timeline = keha::timeline_in_order(items);
            for (const json* item : out)
                if (item->value("hidden", false)) d.timeline.push_back(item);
        }
        if (name == "plan") {
            for (const json* item : out) {
                std::string status = str(*item, "status");
                int g = status == "agreed" ? 1 : status == "done" ? 2 : 0;
                d.plan[static_cast<std::size_t>(g)].items.push_back(item);
            }
        }
    }

    if (auto it = state_.find("participants"); it != state_.end() && it->is_object()) {
        for (const auto& [pid, p] : it->items()) {
            if (!p.is_object()) continue;
            if (p.value("removed", false)) continue;
            std::string role = str(p, "role");
            if (role == "screen") continue;
            Person person{pid, str(p, "name"), role, str(p, "group"), p.value("online", false), p.value("hand", false)};
            if (person.hand)
                d.hands.push_back({pid, person.name, person.group, number_or(p, "hand_at", 0)});
            d.people.push_back(std::move(person));
        }
    }
    std::stable_sort(d.hands.begin(), d.hands.end(), [](const Raised_hand& a, const Raised_hand& b) {
        if (a.at != b.at) return a.at < b.at;
        return a.pid < b.pid;
    });
    std::stable_sort(d.people.begin(), d.people.end(), [](const Person& a, const Person& b) {
        if (a.online != b.online) return a.online;
        if ((a.role == "facilitator") != (b.role == "facilitator")) return a.role == "facilitator";
        return a.name < b.name;
    });
}

const std::vector<const json*>& Document::board_items(std::string_view board) const
{
    static const std::vector<const json*> none;
    derive();
    auto it = derived_.boards.find(board);
    return it == derived_.boards.end() ? none : it->second;
}

std::vector<const json*> Document::column_items(std::string_view board, std::string_view column) const
{
    std::vector<const json*> out;
    for (const json* item : board_items(board))
        if (str(*item, "column") == column) out.push_back(item);
    return out;
}

const std::vector<const json*>& Document::timeline() const
{
    derive();
    return derived_.timeline;
}

const std::array<Plan_group, 3>& Document::plan_by_status() const
{
    derive();
    return derived_.plan;
}

const std::vector<Raised_hand>& Document::raised_hands() const
{
    derive();
    return derived_.hands;
}

const std::vector<Person>& Document::people() const
{
    derive();
    return derived_.people;
}

std::size_t Document::item_count() const
{
    derive();
    std::size_t n = 0;
    for (const auto& [name, items] : derived_.boards) n += items.size();
    return n;
}

std::vector<std::string> Document::board_names() const
{
    derive();
    std::vector<std::string> out;
    for (const char* name : keha::board_names)
        if (derived_.boards.count(name)) out.push_back(name);
    for (const auto& [name, items] : derived_.boards)  // boards this client does not know yet
        if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
    return out;
}

const json* Document::participant(std::string_view pid) const
{
    if (!state_.is_object()) return nullptr;
    auto it = state_.find("participants");
    if (it == state_.end() || !it->is_object()) return nullptr;
    auto p = it->find(std::string(pid));
    return p == it->end() ? nullptr : &*p;
}

std::string Document::name_of(std::string_view pid) const
{
    const json* p = participant(pid);
    return p ? str(*p, "name") : std::string();
}

bool Document::my_hand_up() const
{
    const json* p = participant(you_);
    return p && p->value("hand", false);
}

bool Document::is_mine(const json& item) const { return !you_.empty() && str(item, "author") == you_; }

bool Document::is_redacted(const json& item)
{
    return item.value("hidden", false) && !item.contains("text");
}

std::optional<std::int64_t> timer_remaining_ms(const json& timer, std::int64_t local_now_ms, std::int64_t offset_ms)
{
    std::string state = str(timer, "state");
    if (state == "running") return number_or(timer, "ends_at_ms", 0) - (local_now_ms + offset_ms);
    if (state == "paused") return number_or(timer, "remaining_ms", 0);
    return std::nullopt;
}

std::string format_clock(std::int64_t ms)
{
    bool negative = ms < 0;
    // Round towards the next whole second while counting down, so 0:00 means time is up.
    std::int64_t s = negative ? (-ms) / 1000 : (ms + 999) / 1000;
    char buf[32];
    if (s >= 3600)
        std::snprintf(buf, sizeof buf, "%s%lld:%02lld:%02lld", negative ? "-" : "", static_cast<long long>(s / 3600),
                      static_cast<long long>(s / 60 % 60), static_cast<long long>(s % 60));
    else
        std::snprintf(buf, sizeof buf, "%s%lld:%02lld", negative ? "-" : "", static_cast<long long>(s / 60),
                      static_cast<long long>(s % 60));
    return buf;
}

}  // namespace keha::desk
