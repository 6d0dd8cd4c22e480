// Quick polls (keha/polls.hpp): the template's prepared polls, the commands that open, answer,
// tally, close, reveal and remove them, and the results a batch of answers adds up to.
#include "keha/polls.hpp"

#include <algorithm>
#include <array>
#include <cstdint>

#include "keha/i18n.hpp"
#include "keha/text.hpp"
#include "command_handlers.hpp"

namespace keha {

namespace {

bool is_kind(std::string_view kind) { return detail::one_of(poll_kinds, kind); }

// A prepared poll's fields, read leniently (check_template_polls has checked the template).
json prepared_poll(const json& p, const std::string& id)
{
    const std::string kind = p.value("kind", "choice");
    return {{"id", id},
            {"kind", kind},
            {"question", p.value("question", json(""))},
            {"options", kind == "choice" ? p.value("options", json::array()) : json::array()},
            {"multiple", kind == "choice" && p.value("multiple", false)},
            {"about_self", p.value("about_self", false)},
            {"show", p.value("show", "live") == "reveal" ? "reveal" : "live"},
            {"status", "prepared"},
            {"answered", 0},
            {"stored", 0},
            {"results", nullptr},
            {"shown", false}};
}

std::optional<std::string> check_template_poll(const json& p)
{
    if (!p.is_object()) return "every prepared poll must be an object";
    const std::string kind = p.value("kind", "");
    if (!is_kind(kind)) return "a prepared poll's \"kind\" must be choice, scale or words";
    if (!p.contains("question") || !p["question"].is_object() || !is_localized(p["question"]))
        return "a prepared poll's \"question\" needs a Finnish (\"fi\") text";
    const json options = p.value("options", json::array());
    if (kind == "choice" && (!options.is_array() || options.size() < 2 || options.size() > poll_options_max))
        return "a prepared choice poll needs 2–10 \"options\"";
    if (kind != "choice" && p.contains("options")) return "only a choice poll has \"options\"";
    for (const auto& o : options)
        if (!is_localized(o)) return "every option of a prepared poll needs a Finnish (\"fi\") text";
    if (p.contains("show") && p["show"] != "live" && p["show"] != "reveal")
        return "a prepared poll's \"show\" is \"live\" or \"reveal\"";
    for (const char* flag : {"multiple", "about_self"})
        if (p.contains(flag) && !p[flag].is_boolean()) return std::string("a prepared poll's \"") + flag + "\" is true or false";
    return std::nullopt;
}

// One code point of UTF-8 at `i` (valid text: normalize_word's callers checked it).
std::size_t code_point_length(unsigned char lead)
{
    if (lead < 0x80) return 1;
    if (lead >> 5 == 0x6) return 2;
    if (lead >> 4 == 0xE) return 3;
    return 4;
}

bool is_edge_punctuation(unsigned char c)
{
    return c < 0x80 && c > 0x20 && !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
}

// Lowercases A–Z and the Latin-1 capitals U+00C0–U+00DE (but ×, U+00D7), one to one.
std::string lowercase(std::string_view text)
{
    std::string out;
    for (std::size_t i = 0; i < text.size();) {
        const auto c = static_cast<unsigned char>(text[i]);
        const std::size_t n = std::min(code_point_length(c), text.size() - i);
        if (c >= 'A' && c <= 'Z') {
            out.push_back(static_cast<char>(c + 32));
        } else if (c == 0xC3 && n == 2) {
            const auto next = static_cast<unsigned char>(text[i + 1]);
            // U+00C0–U+00DE are C3 80–C3 9E; their small letters are C3 A0–C3 BE.
            const bool capital = next >= 0x80 && next <= 0x9E && next != 0x97;
            out.push_back(text[i]);
            out.push_back(static_cast<char>(capital ? next + 0x20 : next));
        } else {
            out.append(text.substr(i, n));
        }
        i += n;
    }
    return out;
}

std::uint64_t number_in(const json& object, const char* key)
{
    auto it = object.find(key);
    return it != object.end() && it->is_number_integer() && it->get<std::int64_t>() > 0 ? it->get<std::uint64_t>() : 0;
}

// One more in a count (null: none yet).
void bump(json& count) { count = (count.is_number() ? count.get<std::uint64_t>() : 0) + 1; }

double median_of(const json& distribution, std::uint64_t count)
{
    // The value at the middle rank(s) of the sorted answers.
    auto value_at = [&](std::uint64_t rank) {
        std::uint64_t seen = 0;
        for (std::size_t v = 0; v < distribution.size(); ++v) {
            seen += distribution[v].get<std::uint64_t>();
            if (seen > rank) return static_cast<double>(v);
        }
        return 10.0;
    };
    if (count == 0) return 0;
    return count % 2 ? value_at(count / 2) : (value_at(count / 2 - 1) + value_at(count / 2)) / 2.0;
}

}  // namespace

json initial_polls(const json& room_template)
{
    json polls = json::object();
    auto it = room_template.find("polls");
    if (it == room_template.end() || !it->is_array()) return polls;
    std::size_t n = 0;
    for (const auto& p : *it)
        if (p.is_object()) {
            const std::string id = "t" + std::to_string(++n);
            polls[id] = prepared_poll(p, id);
        }
    return polls;
}

std::optional<std::string> check_template_polls(const json& polls)
{
    if (!polls.is_array()) return "\"polls\" must be an array of prepared polls";
    if (polls.size() > 20) return "a template prepares at most 20 polls";
    for (const auto& p : polls)
        if (auto e = check_template_poll(p)) return e;
    return std::nullopt;
}

std::optional<std::string> normalize_word(std::string_view entry)
{
    std::string collapsed;
    bool space = false;
    for (char c : entry) {
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            space = !collapsed.empty();
            continue;
        }
        if (space) collapsed.push_back(' ');
        space = false;
        collapsed.push_back(c);
    }
    std::size_t first = 0, last = collapsed.size();
    while (first < last && is_edge_punctuation(static_cast<unsigned char>(collapsed[first]))) ++first;
    while (last > first && is_edge_punctuation(static_cast<unsigned char>(collapsed[last - 1]))) --last;
    std::string word = lowercase(std::string_view(collapsed).substr(first, last - first));
    while (!word.empty() && word.back() == ' ') word.pop_back();
    while (!word.empty() && word.front() == ' ') word.erase(word.begin());
    if (word.empty()) return std::nullopt;
    return word;
}

std::string poll_topic(std::string_view poll_id) { return "poll/" + std::string(poll_id); }

std::vector<std::string> poll_values(const json& answer)
{
    std::vector<std::string> out;
    if (auto c = answer.find("choices"); c != answer.end() && c->is_array())
        for (const auto& i : *c) out.push_back(i.dump());
    if (auto v = answer.find("value"); v != answer.end() && v->is_number_integer()) out.push_back(v->dump());
    if (auto w = answer.find("words"); w != answer.end() && w->is_array())
        for (const auto& word : *w)
            if (word.is_string()) out.push_back(word.get<std::string>());
    return out;
}

json add_to_poll_results(const json& poll, const json& results, const json& answers)
{
    const std::string kind = poll.value("kind", "");
    json out = results.is_object() && !results.contains("suppressed") ? results : json::object();
    const std::uint64_t count = number_in(out, "count") + answers.size();
    out["count"] = count;
    if (kind == "choice") {
        const std::size_t n = poll.value("options", json::array()).size();
        json counts = out.value("options", json::array());
        while (counts.size() < n) counts.push_back(0);
        for (const auto& a : answers)
            for (const auto& i : a.value("choices", json::array()))
                if (i.is_number_integer() && i.get<std::int64_t>() >= 0 && i.get<std::size_t>() < n) bump(counts[i.get<std::size_t>()]);
        out["options"] = counts;
    } else if (kind == "scale") {
        json distribution = out.value("distribution", json::array());
        while (distribution.size() < 11) distribution.push_back(0);
        for (const auto& a : answers) {
            const auto v = a.value("value", std::int64_t{-1});
            if (v >= 0 && v <= 10) bump(distribution[static_cast<std::size_t>(v)]);
        }
        out["distribution"] = distribution;
        out["median"] = median_of(distribution, count);
    } else {
        json words = out.value("words", json::object());
        for (const auto& a : answers)
            for (const auto& w : a.value("words", json::array()))
                if (w.is_string()) bump(words[w.get<std::string>()]);
        out["words"] = words;
    }
    return out;
}

bool poll_results_shown(const json& poll) { return poll.is_object() && poll.value("shown", false); }

namespace detail {
namespace {

json* find_poll(json& state, const std::string& id)
{
    auto polls = state.find("polls");
    if (polls == state.end() || !polls->is_object()) return nullptr;
    auto it = polls->find(id);
    return it == polls->end() ? nullptr : &*it;
}

const json& poll_named_as(const Step& s, std::string_view key)
{
    const std::string id = *s.args.text(key, true, 1, 40);
    const json* poll = find_poll(s.state, id);
    if (!poll) refuse(Error_code::not_found, "There is no poll \"" + id + "\".");
    return *poll;
}

const json& poll_named(const Step& s) { return poll_named_as(s, "poll"); }

std::string poll_path(const json& poll) { return "/polls/" + poll.value("id", ""); }

// The options of a choice poll from the short form: 2–10 texts.
json form_options(const Step& s, const std::string& kind)
{
    if (kind != "choice") {
        if (s.args.has("options") || s.args.has("multiple"))
            refuse(Error_code::invalid, "Only a choice poll has \"options\" and \"multiple\".");
        return json::array();
    }
    if (!s.args.has("options")) refuse(Error_code::bad_request, "poll.open needs the argument \"options\".");
    const json& options = s.args.raw()["options"];
    if (!options.is_array()) refuse(Error_code::bad_request, "The argument \"options\" of poll.open must be a list of texts.");
    if (options.size() < 2 || options.size() > poll_options_max)
        refuse(Error_code::invalid, "A choice poll has 2–10 options.");
    for (const auto& o : options) {
        if (!o.is_string()) refuse(Error_code::bad_request, "Each option must be a text.");
        auto len = text_length(o.get_ref<const std::string&>());
        if (!len || *len < 1 || *len > poll_option_length)
            refuse(Error_code::invalid, "Each option must be 1–100 characters of text.");
    }
    return options;
}

// A new poll from the short form's arguments.
json form_poll(const Step& s)
{
    const std::string kind = *s.args.text("kind", true, 1, 20);
    if (!is_kind(kind)) refuse(Error_code::invalid, "A poll's kind is choice, scale or words.");
    const std::string question = *s.args.text("question", true, 1, poll_question_length);
    json options = form_options(s, kind);
    json poll = prepared_poll({{"kind", kind}, {"question", question}, {"options", options}}, "");
    poll["multiple"] = kind == "choice" && s.args.boolean("multiple", false).value_or(false);
    poll["about_self"] = s.args.boolean("about_self", false).value_or(false);
    const std::string show = s.args.text("show", false, 1, 20).value_or("live");
    if (show != "live" && show != "reveal") refuse(Error_code::invalid, "A poll's \"show\" is \"live\" or \"reveal\".");
    poll["show"] = show;
    return poll;
}

std::size_t poll_count(const json& state)
{
    auto polls = state.find("polls");
    return polls != state.end() && polls->is_object() ? polls->size() : 0;
}

json chosen_options(const Step& s, const json& poll)
{
    const json& choices = s.args.raw()["choices"];
    if (!choices.is_array()) refuse(Error_code::bad_request, "The argument \"choices\" of poll.answer must be a list of option numbers.");
    const std::size_t n = poll.value("options", json::array()).size();
    std::vector<std::size_t> picked;
    for (const auto& c : choices) {
        if (!c.is_number_integer() || c.get<std::int64_t>() < 0 || c.get<std::uint64_t>() >= n)
            refuse(Error_code::invalid, "Each choice must be the number of one of the poll's options, from 0.");
        picked.push_back(c.get<std::size_t>());
    }
    std::sort(picked.begin(), picked.end());
    picked.erase(std::unique(picked.begin(), picked.end()), picked.end());
    if (picked.empty()) refuse(Error_code::invalid, "Choose at least one option.");
    if (picked.size() > 1 && !poll.value("multiple", false)) refuse(Error_code::invalid, "This poll takes one option only.");
    return picked;
}

json cloud_words(const Step& s)
{
    const json& words = s.args.raw()["words"];
    if (!words.is_array()) refuse(Error_code::bad_request, "The argument \"words\" of poll.answer must be a list of texts.");
    if (words.empty() || words.size() > poll_words_max) refuse(Error_code::invalid, "Give 1–3 words.");
    json out = json::array();
    for (const auto& w : words) {
        if (!w.is_string()) refuse(Error_code::bad_request, "Each word must be a text.");
        auto len = text_length(w.get_ref<const std::string&>());
        if (!len || *len > poll_word_length) refuse(Error_code::invalid, "Each word must be at most 40 characters of text.");
        auto word = normalize_word(w.get_ref<const std::string&>());
        if (!word) refuse(Error_code::invalid, "Each word must have at least one letter or digit.");
        if (std::find(out.begin(), out.end(), *word) == out.end()) out.push_back(*word);
    }
    return out;
}

// The answer as the server holds it: only what the results count, normalised.
json held_answer(const Step& s, const json& poll)
{
    const std::string kind = poll.value("kind", "");
    const char* key = kind == "choice" ? "choices" : kind == "scale" ? "value" : "words";
    s.args.allow({"poll", key});
    if (!s.args.has(key)) refuse(Error_code::bad_request, "poll.answer needs the argument \"" + std::string(key) + "\" for a " + kind + " poll.");
    if (kind == "choice") return {{"choices", chosen_options(s, poll)}};
    if (kind == "scale") return {{"value", *s.args.integer("value", true, 0, 10)}};
    return {{"words", cloud_words(s)}};
}

}  // namespace

// From the short form ({kind, question, options?, multiple?, about_self?, show?}) or a
// prepared poll ({prepared}): a new open poll l<seq>, on the wall.
void poll_open(Step& s)
{
    s.args.allow({"kind", "question", "options", "multiple", "about_self", "show", "prepared"});
    json poll;
    if (s.args.has("prepared")) {
        if (s.args.raw().size() > 1) refuse(Error_code::invalid, "A prepared poll is opened with \"prepared\" alone.");
        poll = poll_named_as(s, "prepared");
        if (poll.value("status", "") != "prepared") refuse(Error_code::conflict, "That poll is not a prepared one.");
    } else {
        poll = form_poll(s);
    }
    if (poll_count(s.state) >= polls_max) refuse(Error_code::limit_reached, "This room has 50 polls; remove some first.");
    const std::string id = "l" + std::to_string(s.context.seq);
    poll["id"] = id;
    poll["status"] = "open";
    poll["shown"] = poll["show"] == "live";
    poll["at"] = s.context.now_ms;
    if (!s.state.contains("polls")) s.patch.set("/polls", json::object());
    s.patch.put("/polls/" + id, poll);
}

// Records only that the person answered; the answer waits in the server's memory until
// poll_minimum are held, and reaches the results in a batch (poll.tally).
void poll_answer(Step& s)
{
    const json& poll = poll_named(s);
    const std::string id = poll.value("id", "");
    if (poll.value("status", "") != "open") refuse(Error_code::conflict, "This poll is not open.");
    json answer = held_answer(s, poll);
    json* me = find_participant(s.state, s.actor.pid);
    if (!me) refuse(Error_code::not_found, "You are not a participant of this room.");
    json answered = me->value("polls_answered", json::array());
    if (std::find(answered.begin(), answered.end(), id) != answered.end())
        refuse(Error_code::conflict, "You have already answered this poll.");
    answered.push_back(id);
    s.patch.set(participant_path(s.actor.pid) + "/polls_answered", answered);
    s.patch.set(poll_path(poll) + "/answered", poll.value("answered", std::int64_t{0}) + 1);
    s.effects.anonymous_answer = Effects::Anonymous_answer{poll_topic(id), std::move(answer), "poll.tally", poll_minimum};
}

// The server releases held answers ({topic, answers}): they count in the results now, and are
// written to the anonymous table in this op's commit. A batch smaller than poll_minimum (the
// close's rest) is not added to results already shown of a poll about people's own
// experience: the difference would show those few answers.
void poll_tally(Step& s)
{
    s.args.allow({"topic", "answers"});
    const std::string topic = *s.args.text("topic", true, 1, 60);
    const json& answers = s.args.raw().value("answers", json::array());
    if (!answers.is_array() || answers.empty()) refuse(Error_code::bad_request, "poll.tally needs \"answers\".");
    const json* poll = topic.starts_with("poll/") ? find_poll(s.state, topic.substr(5)) : nullptr;
    if (!poll) refuse(Error_code::not_found, "There is no poll for \"" + topic + "\".");
    const std::string path = poll_path(*poll);
    const std::uint64_t stored = poll->value("stored", std::uint64_t{0}) + answers.size();
    const json& results = (*poll)["results"];
    const bool counted = results.is_object() && !results.contains("suppressed");
    json next = results;
    if (!poll->value("about_self", false)) {
        next = add_to_poll_results(*poll, results, answers);
    } else if (stored < poll_minimum) {
        if (poll->value("status", "") == "closed") next = {{"suppressed", true}, {"minimum", poll_minimum}};
    } else if (answers.size() < poll_minimum && counted) {
        next["withheld"] = results.value("withheld", std::uint64_t{0}) + answers.size();
    } else {
        next = add_to_poll_results(*poll, counted ? results : json(), answers);
    }
    s.patch.set(path + "/stored", stored);
    s.patch.set(path + "/results", next);
}

// No more answers; what the server holds of the poll is added at once (poll.tally follows).
void poll_close(Step& s)
{
    s.args.allow({"poll"});
    const json& poll = poll_named(s);
    if (poll.value("status", "") != "open") refuse(Error_code::conflict, "This poll is not open.");
    s.patch.set(poll_path(poll) + "/status", "closed");
    s.effects.release_held = poll_topic(poll.value("id", ""));
}

// Shows the results to everyone and puts the poll on the wall (shown: false takes them back).
// The whole poll is put, so those who had results withheld get them in the same op.
void poll_reveal(Step& s)
{
    s.args.allow({"poll", "shown"});
    json poll = poll_named(s);
    const bool shown = s.args.boolean("shown", false).value_or(true);
    if (poll.value("status", "") == "prepared") refuse(Error_code::conflict, "A prepared poll has no results; open it first.");
    poll["shown"] = shown;
    if (shown) poll["at"] = s.context.now_ms;
    s.patch.put(poll_path(poll), poll);
}

// Removes a poll (a prepared one too); answers held for it are dropped unread.
void poll_remove(Step& s)
{
    s.args.allow({"poll"});
    const json& poll = poll_named(s);
    const std::string id = poll.value("id", "");
    if (poll.value("status", "") == "open") s.effects.drop_held = poll_topic(id);
    s.patch.remove("/polls/" + id);
}

}  // namespace detail

}  // namespace keha
