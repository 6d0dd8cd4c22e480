#pragma once
// Shared by the libFuzzer targets: the shipped assets, a realistic room to run commands on,
// and a check that stops the run with a message (a libFuzzer finding) when an invariant fails.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "keha/json.hpp"
#include "keha/polls.hpp"
#include "keha/qa.hpp"
#include "keha/reducer.hpp"
#include "keha/state.hpp"

namespace keha::fuzz {

[[noreturn]] inline void fail(const std::string& what)
{
    std::fprintf(stderr, "INVARIANT BROKEN: %s\n", what.c_str());
    std::abort();
}

inline void check(bool holds, const std::string& what)
{
    if (!holds) fail(what);
}

inline json load_asset(const std::string& relative)
{
    std::ifstream in(std::string(KEHA_SOURCE_ASSET_DIR) + "/" + relative);
    if (!in) fail("cannot open asset " + relative);
    std::stringstream text;
    text << in.rdbuf();
    return json::parse(text.str());
}

inline const json& default_template()
{
    static const json t = load_asset("templates/default.json");
    return t;
}

inline const json& catalog(const std::string& language)
{
    static const json fi = load_asset("i18n/fi.json"), sv = load_asset("i18n/sv.json"), en = load_asset("i18n/en.json");
    return language == "sv" ? sv : language == "en" ? en : fi;
}

inline Room_meta meta(const std::string& code = "K7Q4MX")
{
    Room_meta m;
    m.code = code;
    m.title = "Monnin tiimi";
    m.language = "fi";
    m.template_id = "default";
    m.created_at = "2026-11-23T09:00:00Z";
    return m;
}

// The people of the realistic room, by the short names the fuzz inputs use.
struct People {
    std::string facilitator, aino, bertil, screen, waiting;  // `waiting`: in the lobby
};

// A room as it looks mid-meeting: a facilitator, two participants, a screen and one person
// waiting in the lobby; items on several boards (one hidden, one pending in a moderated
// phase, a plan action that addresses a hinderer), votes, a raised hand, an open
// questionnaire with one answer, the timer running. Built with the reducer itself.
struct Realistic_room {
    json state;
    std::uint64_t seq = 0;
    std::int64_t now_ms = 1'795'000'000'000;
    People people;

    Realistic_room() : state(make_state(meta(), default_template()))
    {
        auto join = [&](const char* name, const char* role, const char* group) {
            run({"", Role::server}, "participant.join", {{"name", name}, {"role", role}, {"group", group}});
            return participant_id_for(seq);
        };
        people.facilitator = join("Fasilitaattori", "facilitator", "leader");
        people.screen = join("Valkokangas", "screen", "other");
        people.aino = join("Aino Ahonen", "participant", "professional");
        people.bertil = join("Bertil Berg", "participant", "expert");
        const Actor f{people.facilitator, Role::facilitator}, a{people.aino, Role::participant},
            b{people.bertil, Role::participant};
        run(f, "room.settings", {{"admit_joiners", true}});
        people.waiting = join("Chidi", "participant", "other");
        run(f, "room.settings", {{"admit_joiners", false}});
        run(f, "phase.goto", {{"phase", "timeline"}});
        run(a, "item.add", {{"board", "timeline"}, {"column", "event"}, {"text", "Koulu alkoi"}, {"when", "2021-09"}, {"sector", "school"}});
        run(b, "item.add", {{"board", "timeline"}, {"column", "event"}, {"text", "Muutto"}, {"when", "kevät"}});
        run(f, "phase.goto", {{"phase", "vision"}});
        run(a, "item.add", {{"board", "vision"}, {"column", "hinders"}, {"text", "Kiire"}});
        const std::string hinderer = "i" + std::to_string(seq);
        run(b, "item.add", {{"board", "vision"}, {"column", "vision"}, {"text", "Oma ajatus"}, {"hidden", true}});
        run(a, "item.vote", {{"board", "vision"}, {"id", hinderer}});
        run(f, "room.settings", {{"moderated", true}, {"vote_limit", 3}});
        run(b, "item.add", {{"board", "vision"}, {"column", "enables"}, {"text", "Yhteinen aika"}});
        run(f, "phase.goto", {{"phase", "plan"}});
        run(f, "item.add", {{"board", "plan"}, {"column", "action"}, {"text", "Viikkopalaveri"}, {"who", "Aino"},
                            {"status", "agreed"}, {"addresses", hinderer}});
        const std::string action = "i" + std::to_string(seq);
        run(a, "hand.raise");
        run(f, "timer.start", {{"duration_s", 600}});
        run(f, "ratings.open");
        run(a, "rating.submit", {{"answers", {{default_template()["ratings"][0]["id"], 8}}}});
        add_issue16_features(f, a, b, action);
    }

    // Issue 16's features mid-use, so that the fuzzer reaches their states (and their notes)
    // in a few steps: prepared polls, a word cloud with results, a revealed choice poll that is
    // closed, a Q&A with published questions, a group, the spotlight, a private board and a
    // voting session running.
    void add_issue16_features(const Actor& f, const Actor& a, const Actor& b, const std::string& action)
    {
        const json prepared = initial_polls(load_asset("templates/monni-professionals.json"));
        for (auto it = prepared.begin(); it != prepared.end(); ++it) state["polls"][it.key()] = it.value();
        const Actor server{"", Role::server};
        run(f, "poll.open", {{"kind", "words"}, {"question", "Yksi sana tästä kokouksesta?"}});
        const std::string cloud = "l" + std::to_string(seq);
        for (const Actor* who : {&f, &a, &b}) run(*who, "poll.answer", {{"poll", cloud}, {"words", {"Kiire", "toivo"}}});
        run(server, "poll.tally", {{"topic", poll_topic(cloud)},
                                   {"answers", {{{"words", {"kiire", "toivo"}}}, {{"words", {"Kiire"}}}, {{"words", {"ÄÄNI"}}}}}});
        run(f, "poll.open", {{"kind", "choice"}, {"question", "Jatketaanko?"}, {"options", {"Kyllä", "Ei"}}, {"show", "reveal"}});
        const std::string choice = "l" + std::to_string(seq);
        for (const Actor* who : {&f, &a, &b}) run(*who, "poll.answer", {{"poll", choice}, {"choices", {0}}});
        run(f, "poll.close", {{"poll", choice}});
        run(server, "poll.tally", {{"topic", poll_topic(choice)},
                                   {"answers", {{{"choices", {0}}}, {{"choices", {1}}}, {{"choices", {0}}}}}});
        run(f, "poll.reveal", {{"poll", choice}});
        run(f, "qa.open", {{"title", "Kysymyksiä"}});
        const std::string qa = "qa" + std::to_string(seq);
        for (const Actor* who : {&f, &a, &b}) run(*who, "qa.ask", {{"qa", qa}, {"text", "Miksi?"}});
        run(server, "qa.publish", qa_publish_args(qa, {"Miksi?", "Milloin?", "Kuka?"}));
        run(f, "item.add", {{"board", "plan"}, {"column", "action"}, {"text", "Soitto kouluun"}, {"who", "Bertil"}});
        const std::string second = "i" + std::to_string(seq);
        run(f, "item.group", {{"board", "plan"}, {"id", second}, {"onto", action}, {"title", "Yhteydet"}});
        run(f, "spotlight.set", {{"board", "plan"}});
        run(f, "board.private", {{"board", "timeline"}, {"private", true}});
        run(f, "vote.start", {{"board", "plan"}, {"limit", 2}});
    }

    // Applies a command that must succeed while the room is built.
    void run(const Actor& actor, const std::string& cmd, json args = json::object())
    {
        now_ms += 1000;
        auto r = apply(state, actor, Command{cmd, std::move(args)}, Context{seq + 1, now_ms});
        if (std::holds_alternative<Error>(r)) fail("building the room: " + cmd + ": " + std::get<Error>(r).message);
        ++seq;
    }
};

}  // namespace keha::fuzz
