#include "document.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>

#include "keha/board_order.hpp"
#include "keha/i18n.hpp"
#include "keha/notes.hpp"
#include "keha/provenance.hpp"
#include "keha/state.hpp"
#include "json_fields.hpp"

namespace keha::desk {
namespace {

// The cards as every view places them (keha::arrange_board): groups together, a board sorted
// by votes by its votes; `name` "timeline" for the timeline's own rule.
std::vector<const json*> placed(const std::vector<const json*>& items, const json& board, std::string_view name)
{
    std::vector<const json*> out;
    for (const auto& unit : keha::arrange_board(items, board, name)) out.insert(out.end(), unit.items.begin(), unit.items.end());
    return out;
}

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

std::vector<std::string> pid_list(const json& object, const char* key)
{
    std::vector<std::string> out;
    auto it = object.find(key);
    if (it == object.end() || !it->is_array()) return out;
    for (const json& v : *it)
        if (v.is_string()) out.push_back(v.get<std::string>());
    return out;
}

bool contains(const std::vector<std::string>& list, std::string_view pid)
{
    return !pid.empty() && std::find(list.begin(), list.end(), pid) != list.end();
}

Turns read_turns(const json& t)
{
    Turns out;
    out.mode = text_field(t, "mode");
    if (out.mode.empty()) out.mode = "none";
    out.speaking = pid_list(t, "speaking");
    out.listening = pid_list(t, "listening");
    out.stage = text_field(t, "stage");
    out.cycle = whole(t, "cycle", 0);
    out.focus = pid_list(t, "focus");
    out.reflectors = pid_list(t, "reflectors");
    out.focus_group = text_field(t, "focus_group");
    out.reflect_group = text_field(t, "reflect_group");
    out.speaker = text_field(t, "speaker");
    out.order = pid_list(t, "order");
    out.passed = pid_list(t, "passed");
    out.done = pid_list(t, "done");
    out.current = whole(t, "current", 0);
    out.next = text_field(t, "next");
    out.finished = flag(t, "finished", false);
    out.per_speaker_s = whole(t, "per_speaker_s", 0);
    if (auto it = t.find("pairs"); it != t.end() && it->is_array())
        for (const json& pair : *it) {
            std::vector<std::string> members;
            if (pair.is_array())
                for (const json& p : pair)
                    if (p.is_string()) members.push_back(p.get<std::string>());
            out.pairs.push_back(std::move(members));
        }
    out.half = whole(t, "half", 1);
    out.half_s = whole(t, "half_s", 0);
    if (auto it = t.find("stage_s"); it != t.end() && it->is_object()) out.stage_s = *it;
    return out;
}

// The "seq" of a server message: 0 when it has none, nothing when it is not a whole number.
std::optional<std::uint64_t> seq_of(const json& message)
{
    auto it = message.find("seq");
    if (it == message.end()) return std::uint64_t{0};
    if (it->is_number_unsigned()) return it->get<std::uint64_t>();
    if (it->is_number_integer() && it->get<std::int64_t>() >= 0) return static_cast<std::uint64_t>(it->get<std::int64_t>());
    return std::nullopt;
}

}  // namespace

int Turns::stage_seconds(std::string_view which) const
{
    return whole(stage_s, std::string(which).c_str(), 0);
}

std::string Turns::current_speaker() const
{
    if (mode != "round" || finished) return {};
    if (current >= 0 && static_cast<std::size_t>(current) < order.size()) return order[static_cast<std::size_t>(current)];
    return {};
}

Apply_result Document::apply_lobby(const json& lobby)
{
    you_ = text_field(lobby, "you");
    role_ = "participant";
    lobby_ = true;
    state_ = json();  // whatever we held is not ours to show while we wait
    seq_ = 0;
    changed();
    return Apply_result::applied;
}

Apply_result Document::apply_welcome(const json& welcome)
{
    lobby_ = false;
    you_ = text_field(welcome, "you");
    role_ = text_field(welcome, "role");
    join_.reset();
    if (auto j = welcome.find("join"); j != welcome.end() && j->is_object() && !text_field(*j, "url").empty())
        join_ = Join{text_field(*j, "url"), text_field(*j, "address"), j->value("loopback", false)};
    auto seq = seq_of(welcome);
    if (!seq) return Apply_result::failed;
    if (auto it = welcome.find("state"); it != welcome.end() && it->is_object()) {
        state_ = *it;
        seq_ = *seq;
        changed();
        return Apply_result::applied;
    }
    auto replay = welcome.find("replay");
    if (replay == welcome.end() || !replay->is_array() || state_.is_null()) return Apply_result::failed;
    for (const json& entry : *replay) {
        auto r = apply_patch_message(entry);
        if (r == Apply_result::gap || r == Apply_result::failed) return r;
    }
    if (seq_ != *seq) return Apply_result::gap;
    changed();
    return Apply_result::applied;
}

Apply_result Document::apply_patch_message(const json& message)
{
    if (state_.is_null()) return Apply_result::gap;
    // Whatever arrives, a malformed message is a failed one (never an exception).
    if (!message.is_object()) return Apply_result::failed;
    auto seq = seq_of(message);
    if (!seq) return Apply_result::failed;
    if (*seq <= seq_) return Apply_result::stale;
    if (*seq != seq_ + 1) return Apply_result::gap;
    auto patch = message.find("patch");
    auto r = apply_patch(patch == message.end() ? json::array() : *patch);
    if (r == Apply_result::applied) seq_ = *seq;
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
        // The copy may be half-changed: what was derived from it (pointers into it) is stale.
        changed();
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
std::string Document::room_code() const { return text_field(room(), "code"); }
std::string Document::room_title() const { return text_field(room(), "title"); }
std::string Document::room_language() const { return text_field(room(), "language"); }
bool Document::locked() const { return flag(room(), "locked", false); }
bool Document::closed() const { return text_field(room(), "status") == "closed"; }

const json& Document::phases() const
{
    if (!state_.is_object()) return empty_array();
    auto it = state_.find("phases");
    return it != state_.end() && it->is_array() ? *it : empty_array();
}

int Document::current_phase_index() const
{
    if (!state_.is_object()) return -1;
    std::string id = text_field(state_, "phase");
    const json& list = phases();
    for (std::size_t i = 0; i < list.size(); ++i)
        if (text_field(list[i], "id") == id) return static_cast<int>(i);
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
    return phase ? text_field(*phase, "board") : std::string();
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
    d.lobby.clear();
    d.turn_people.clear();
    d.turns = Turns{};
    const char* statuses[] = {"proposed", "agreed", "done"};
    for (int i = 0; i < 3; ++i) d.plan[i] = Plan_group{statuses[i], {}};
    if (!state_.is_object()) return;

    const json& boards = state_.contains("boards") && state_["boards"].is_object() ? state_["boards"] : empty_object();
    for (const auto& [name, board] : boards.items()) {
        if (!board.is_object() || !board.contains("items") || !board["items"].is_object()) continue;
        const json& items = board["items"];
        // An original with an editable copy shows inside the copy (original_of), not beside it.
        const std::set<std::string> folded = keha::copied_originals(items);
        auto shown = [&](const json* item) { return !folded.count(text_field(*item, "id")); };
        auto& out = d.boards[name];
        out.reserve(items.size());
        for (const auto& item : items)
            if (shown(&item)) out.push_back(&item);
        keha::sort_in_board_order(out);
        if (name == "timeline") {
            // The timeline rule (keha/board_order.hpp), as the browser shows it: a held item
            // whose date reaches us (our own) by its date, a placeholder among the undated.
            d.timeline = placed(out, board, name);
        }
        // Groups' cards together, and by votes when the board is sorted so (arrange_board).
        if (board.contains("groups") || board.contains("sort")) out = placed(out, board, "");
        if (name == "plan") {
            for (const json* item : out) {
                std::string status = text_field(*item, "status");
                int g = status == "agreed" ? 1 : status == "done" ? 2 : 0;
                d.plan[static_cast<std::size_t>(g)].items.push_back(item);
            }
        }
    }

    if (auto it = state_.find("participants"); it != state_.end() && it->is_object()) {
        for (const auto& [pid, p] : it->items()) {
            if (!p.is_object()) continue;
            if (flag(p, "removed", false)) continue;
            std::string role = text_field(p, "role");
            if (role == "screen") continue;
            Person person{pid,          text_field(p, "name"),         role, text_field(p, "group"), flag(p, "online", false),
                          flag(p, "hand", false), flag(p, "admitted", true), text_field(p, "joined_at")};
            if (!person.admitted) {
                d.lobby.push_back(std::move(person));
                continue;
            }
            if (person.hand)
                d.hands.push_back({pid, person.name, person.group, number_or(p, "hand_at", 0)});
            if (role == "participant") d.turn_people.push_back(person);
            d.people.push_back(std::move(person));
        }
    }
    std::stable_sort(d.hands.begin(), d.hands.end(), [](const Raised_hand& a, const Raised_hand& b) {
        if (a.at != b.at) return a.at < b.at;
        return a.pid < b.pid;
    });
    auto joined = [](const Person& a, const Person& b) {
        if (a.joined_at != b.joined_at) return a.joined_at < b.joined_at;
        return a.pid < b.pid;
    };
    std::sort(d.lobby.begin(), d.lobby.end(), joined);
    std::sort(d.turn_people.begin(), d.turn_people.end(), joined);
    if (auto it = state_.find("turns"); it != state_.end() && it->is_object()) d.turns = read_turns(*it);
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

const json* Document::original_of(std::string_view board, const json& item) const
{
    const std::string of = text_field(item, "copy_of");
    if (of.empty() || !state_.is_object() || !state_.contains("boards") || !state_["boards"].is_object()) return nullptr;
    const json& boards = state_["boards"];
    auto b = boards.find(std::string(board));
    if (b == boards.end() || !b->is_object() || !b->contains("items") || !(*b)["items"].is_object()) return nullptr;
    auto it = (*b)["items"].find(of);
    return it == (*b)["items"].end() || !it->is_object() ? nullptr : &*it;
}

std::vector<const json*> Document::column_items(std::string_view board, std::string_view column) const
{
    std::vector<const json*> out;
    for (const json* item : board_items(board))
        if (text_field(*item, "column") == column) out.push_back(item);
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

const std::vector<Person>& Document::lobby() const
{
    derive();
    return derived_.lobby;
}

const std::vector<Person>& Document::turn_people() const
{
    derive();
    return derived_.turn_people;
}

const Turns& Document::turns() const
{
    derive();
    return derived_.turns;
}

My_turn Document::my_turn() const
{
    const Turns& t = turns();
    if (!t.running()) return My_turn::none;
    if (contains(t.speaking, you_)) return My_turn::speaking;
    if (contains(t.listening, you_)) return My_turn::listening;
    return My_turn::none;
}

bool Document::my_input_held() const
{
    return turns().mode == "reflecting_team" && my_turn() == My_turn::listening;
}

bool Document::my_round_turn() const
{
    const Turns& t = turns();
    return t.mode == "round" && !t.finished && !you_.empty() && t.current_speaker() == you_;
}

std::vector<std::string> Document::my_pair_partners() const
{
    const Turns& t = turns();
    std::vector<std::string> out;
    if (t.mode != "pairs") return out;
    for (const auto& pair : t.pairs)
        if (contains(pair, you_))
            for (const auto& p : pair)
                if (p != you_) out.push_back(p);
    return out;
}

std::vector<const json*> Document::my_private_items(std::string_view board) const
{
    std::vector<const json*> out;
    for (const json* item : board_items(board))
        if (is_mine(*item) && flag(*item, "hidden", false)) out.push_back(item);
    return out;
}

std::vector<Held_item> Document::held_items() const
{
    std::vector<Held_item> out;
    for (const std::string& board : board_names())
        for (const json* item : board_items(board))
            if (flag(*item, "pending", false)) out.push_back({board, item, flag(*item, "declined", false)});
    return out;
}

std::vector<Held_item> Document::my_declined_items() const
{
    std::vector<Held_item> out;
    for (const std::string& board : board_names())
        for (const json* item : board_items(board))
            if (is_mine(*item) && flag(*item, "pending", false) && flag(*item, "declined", false))
                out.push_back({board, item, true});
    return out;
}

bool Document::setting(std::string_view name, bool fallback) const
{
    auto it = room().find("settings");
    if (it == room().end() || !it->is_object()) return fallback;
    auto v = it->find(std::string(name));
    return v != it->end() && v->is_boolean() ? v->get<bool>() : fallback;
}

std::string Document::wall_theme() const
{
    auto it = room().find("settings");
    if (it == room().end() || !it->is_object()) return "default";
    auto theme = it->find("wall_theme");
    if (theme == it->end() || !theme->is_string()) return "default";
    const std::string& t = theme->get_ref<const std::string&>();
    return t == "dark" || t == "contrast" ? t : "default";
}

int Document::vote_limit() const
{
    auto it = room().find("settings");
    if (it == room().end() || !it->is_object()) return 0;
    return static_cast<int>(std::max<std::int64_t>(0, number_or(*it, "vote_limit", 0)));
}

Vote_budget Document::votes(std::string_view board) const
{
    Vote_budget b;
    b.limit = vote_limit();
    for (const json* item : board_items(board)) {
        auto voters = item->find("voters");
        if (voters == item->end() || !voters->is_array()) {
            // Votes kept back from us (votes_visible off): we cannot count our own.
            if (!item->contains("votes")) b.known = false;
            continue;
        }
        for (const json& v : *voters)
            if (v.is_string() && v.get<std::string>() == you_) ++b.used;
    }
    return b;
}

const json* Document::consent() const
{
    if (!state_.is_object()) return nullptr;
    auto it = state_.find("consent");
    return it != state_.end() && it->is_object() ? &*it : nullptr;
}

bool Document::consent_pending() const { return setting("consent_required") && !consent(); }

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
    return p ? text_field(*p, "name") : std::string();
}

bool Document::my_hand_up() const
{
    const json* p = participant(you_);
    return p && flag(*p, "hand", false);
}

bool Document::is_mine(const json& item) const { return !you_.empty() && text_field(item, "author") == you_; }

bool Document::is_redacted(const json& item)
{
    return flag(item, "hidden", false) && !item.contains("text");
}

std::optional<std::int64_t> timer_remaining_ms(const json& timer, std::int64_t local_now_ms, std::int64_t offset_ms)
{
    // Clamped to ±2^62 ms (146 million years), so that no arithmetic on them overflows.
    auto ms = [&](const char* key) { return std::clamp<std::int64_t>(number_or(timer, key, 0), -(std::int64_t{1} << 62), std::int64_t{1} << 62); };
    std::string state = text_field(timer, "state");
    if (state == "running") return ms("ends_at_ms") - (local_now_ms + offset_ms);
    if (state == "paused") return ms("remaining_ms");
    return std::nullopt;
}

bool timebox_signal(std::optional<std::int64_t> remaining_ms)
{
    return remaining_ms && *remaining_ms <= 0 && *remaining_ms > -timebox_signal_ms;
}

Stage_times stage_times_for(int timebox_s)
{
    Stage_times t;
    if (timebox_s <= 0) return t;
    int rest_min = std::max(2, (timebox_s - t.reflection_s) / 60);
    int conversation_min = std::max(1, (rest_min * 2 + 1) / 3);
    t.conversation_s = conversation_min * 60;
    t.response_s = std::max(1, rest_min - conversation_min) * 60;
    return t;
}

std::string format_clock(std::int64_t ms)
{
    ms = std::clamp<std::int64_t>(ms, -(std::int64_t{1} << 62), std::int64_t{1} << 62);
    bool negative = ms < 0;
    // Round towards the next whole second while counting down, so 0:00 means time is up.
    std::int64_t s = negative ? (-ms) / 1000 : (ms + 999) / 1000;
    if (s == 0) negative = false;  // the first second over time reads 0:00, not -0:00
    char buf[32];
    if (s >= 3600)
        std::snprintf(buf, sizeof buf, "%s%lld:%02lld:%02lld", negative ? "-" : "", static_cast<long long>(s / 3600),
                      static_cast<long long>(s / 60 % 60), static_cast<long long>(s % 60));
    else
        std::snprintf(buf, sizeof buf, "%s%lld:%02lld", negative ? "-" : "", static_cast<long long>(s / 60),
                      static_cast<long long>(s % 60));
    return buf;
}


bool Document::i_rated() const
{
    const json* me = participant(you_);
    return me && flag(*me, "rated", false);
}

Provenance provenance_of(const json& item)
{
    Provenance p;
    if (!item.is_object()) return p;
    p.readonly = flag(item, "readonly", false);
    p.copy_of = text_field(item, "copy_of");
    auto source = item.find("source");
    if (source != item.end() && source->is_object()) {
        p.imported = true;
        p.team = text_field(*source, "team");
        p.meeting = text_field(*source, "meeting");
        p.code = text_field(*source, "code");
        p.at = text_field(*source, "at").substr(0, 10);
        if (auto first = source->find("first"); first != source->end() && first->is_object())
            p.first = Source_meeting{text_field(*first, "team"), text_field(*first, "meeting"), text_field(*first, "code"),
                                     text_field(*first, "at").substr(0, 10)};
    }
    return p;
}

std::string provenance_line(const Source_meeting& p)
{
    std::string out;
    for (const std::string* part : {&p.team, &p.meeting, &p.code, &p.at}) {
        if (part->empty()) continue;
        if (!out.empty()) out += " \xc2\xb7 ";
        out += *part;
    }
    return out;
}

Ratings_view ratings_view(const json& state, std::string_view language)
{
    Ratings_view v;
    if (!state.is_object()) return v;
    auto r = state.find("ratings");
    if (r == state.end() || !r->is_object()) return v;
    if (auto q = r->find("questions"); q != r->end() && q->is_array())
        for (const json& question : *q)
            if (question.is_object()) v.questions.push_back({text_field(question, "id"), localized(question.value("text", json()), language)});
    v.open = flag(*r, "open", false);
    v.answered = whole(*r, "answered", 0);
    auto results = r->find("results");
    if (results == r->end() || !results->is_object()) return v;
    v.published = true;
    v.minimum = whole(*results, "minimum", v.minimum);
    v.count = whole(*results, "count", 0);
    if (flag(*results, "suppressed", false)) {
        v.suppressed = true;
        return v;
    }
    if (auto qs = results->find("questions"); qs != results->end() && qs->is_array())
        for (const json& q : *qs) {
            if (!q.is_object()) continue;
            Rating_question_result out;
            out.id = text_field(q, "id");
            out.text = localized(q.value("text", json()), language);
            out.count = whole(q, "count", 0);
            auto dist = q.find("distribution");
            // Nothing to draw without the median and the distribution.
            out.suppressed = flag(q, "suppressed", false) || !q.contains("median") || dist == q.end() ||
                             !dist->is_array() || dist->size() != 11;
            if (!out.suppressed) {
                out.median = q["median"].is_number() ? q["median"].get<double>() : 0.0;
                for (std::size_t i = 0; i < 11; ++i) {
                    int n = (*dist)[i].is_number_integer() ? (*dist)[i].get<int>() : 0;
                    out.distribution[i] = static_cast<float>(n);
                    out.max_count = std::max(out.max_count, n);
                }
            }
            v.results.push_back(std::move(out));
        }
    if (auto cs = results->find("comments"); cs != results->end() && cs->is_array())
        for (const json& c : *cs)
            if (c.is_string()) v.comments.push_back(c.get<std::string>());
    if (auto shown = results->find("comments_shown"); shown != results->end() && shown->is_array()) {
        v.reviewable = true;
        v.comments_shown.assign(v.comments.size(), false);
        for (const json& i : *shown)
            if (i.is_number_integer() && i.get<std::int64_t>() >= 0 && i.get<std::uint64_t>() < v.comments.size())
                v.comments_shown[i.get<std::size_t>()] = true;
    }
    return v;
}

std::string format_median(double median, std::string_view decimal_mark)
{
    char buf[32];
    double whole = static_cast<double>(static_cast<long long>(median));
    if (whole == median) std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(median));
    else std::snprintf(buf, sizeof buf, "%.1f", median);
    std::string out = buf;
    if (auto dot = out.find('.'); dot != std::string::npos) out.replace(dot, 1, decimal_mark);
    return out;
}

}  // namespace keha::desk
