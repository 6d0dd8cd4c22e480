#pragma once
// Shared by the libFuzzer targets: the shipped assets, a realistic room to run commands on,
// and a check that stops the run with a message (a libFuzzer finding) when an invariant fails.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "keha/json.hpp"
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
        run(a, "hand.raise");
        run(f, "timer.start", {{"duration_s", 600}});
        run(f, "ratings.open");
        run(a, "rating.submit", {{"answers", {{default_template()["ratings"][0]["id"], 8}}}});
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
