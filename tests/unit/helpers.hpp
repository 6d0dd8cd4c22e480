#pragma once
// Shared helpers of the libkeha unit tests: a room driven through keha::apply with its own
// seq and clock, and the shipped assets.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <variant>

#include "keha/error.hpp"
#include "keha/json.hpp"
#include "keha/reducer.hpp"
#include "keha/state.hpp"

namespace keha::test {

inline std::string asset_path(const std::string& relative)
{
    return std::string(KEHA_SOURCE_ASSET_DIR) + "/" + relative;
}

inline json load_json(const std::string& path)
{
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot open " + path);
    std::stringstream ss;
    ss << in.rdbuf();
    return json::parse(ss.str());
}

inline json default_template() { return load_json(asset_path("templates/default.json")); }
inline json catalog(const std::string& lang) { return load_json(asset_path("i18n/" + lang + ".json")); }

// A string of n copies of one UTF-8 character.
inline std::string repeat(const std::string& ch, std::size_t n)
{
    std::string s;
    s.reserve(ch.size() * n);
    for (std::size_t i = 0; i < n; ++i) s += ch;
    return s;
}

inline Room_meta test_meta(const std::string& language = "en")
{
    Room_meta meta;
    meta.code = "K7Q4MX";
    meta.title = "Team meeting";
    meta.language = language;
    meta.template_id = "default";
    meta.created_at = "2026-11-23T09:00:00Z";
    return meta;
}

// A meeting of the process "proc1" held by the given team.
inline Room_meta process_meta(const std::string& code, const std::string& title, const std::string& team)
{
    Room_meta meta = test_meta("en");
    meta.code = code;
    meta.title = title;
    meta.process = "proc1";
    meta.team = team;
    return meta;
}

using Outcome = std::variant<json, Error>;

// A room as the server runs it: every accepted command takes the next seq; the clock
// only moves when a test moves it.
class Room {
public:
    explicit Room(const std::string& language = "en") : state(make_state(test_meta(language), default_template())) {}

    json state;
    std::uint64_t seq = 0;
    std::int64_t now_ms = 1'795'000'000'000;  // 2026-11-18

    static constexpr Actor server{"", Role::server};

    Outcome run(const Actor& actor, const std::string& cmd, json args = json::object())
    {
        Context ctx{seq + 1, now_ms};
        auto r = apply(state, actor, Command{cmd, std::move(args)}, ctx);
        if (std::holds_alternative<json>(r)) ++seq;
        return r;
    }

    // A command that must succeed; its patch.
    json ok(const Actor& actor, const std::string& cmd, json args = json::object())
    {
        auto r = run(actor, cmd, std::move(args));
        if (auto* e = std::get_if<Error>(&r)) {
            ADD_FAILURE() << cmd << " failed: " << to_string(e->code) << ": " << e->message;
            return json::array();
        }
        return std::get<json>(r);
    }

    // A command that must fail with `code` and leave the state byte for byte as it was.
    Error fails(Error_code code, const Actor& actor, const std::string& cmd, json args = json::object())
    {
        const std::string before = state.dump();
        const auto seq_before = seq;
        auto r = run(actor, cmd, args);
        EXPECT_EQ(state.dump(), before) << cmd << " " << args.dump() << " changed the state on error";
        EXPECT_EQ(seq, seq_before);
        if (auto* e = std::get_if<Error>(&r)) {
            EXPECT_EQ(to_string(e->code), to_string(code)) << cmd << " " << args.dump() << ": " << e->message;
            EXPECT_FALSE(e->message.empty());
            return *e;
        }
        ADD_FAILURE() << cmd << " " << args.dump() << " succeeded, expected " << to_string(code);
        return Error{code, ""};
    }

    // participant.join by the server; the new participant's id.
    std::string join(const std::string& name, const std::string& role = "participant",
                     const std::string& group = "professional")
    {
        ok(server, "participant.join", {{"name", name}, {"group", group}, {"role", role}});
        return participant_id_for(seq);
    }

    // Adds an item and returns its id.
    std::string add(const Actor& actor, const std::string& board, const std::string& column,
                    const std::string& text, json extra = json::object())
    {
        json args = {{"board", board}, {"column", column}, {"text", text}};
        args.update(extra);
        ok(actor, "item.add", args);
        return "i" + std::to_string(seq);
    }

    const json& item(const std::string& board, const std::string& id) const
    {
        return state.at("boards").at(board).at("items").at(id);
    }
    const json& participant(const std::string& pid) const { return state.at("participants").at(pid); }
};

// A room with a facilitator, two participants and a projector, as most tests need.
class Four_people : public ::testing::Test {
protected:
    void SetUp() override
    {
        fac_id = room.join("Fia", "facilitator", "leader");
        a_id = room.join("Aino");
        b_id = room.join("Bertil", "participant", "expert");
        screen_id = room.join("Screen", "screen", "other");
    }

    Actor fac() const { return {fac_id, Role::facilitator}; }
    Actor a() const { return {a_id, Role::participant}; }
    Actor b() const { return {b_id, Role::participant}; }
    Actor screen() const { return {screen_id, Role::screen}; }

    Room room;
    std::string fac_id, a_id, b_id, screen_id;
};

}  // namespace keha::test
