// Who may read what, over the real server (docs/security.md, "Keys and who may read what"):
// a process id is no key, and what only facilitators may read — the process id, who gave a
// young person's consent — never reaches a participant or the projector.
#include <gtest/gtest.h>

#include <fstream>

#include "support/meeting.hpp"

using namespace keha::itest;

namespace {

std::uint16_t port() { return shared_server().port(); }
std::vector<std::pair<std::string, std::string>> bearer(const std::string& key) { return {{"Authorization", "Bearer " + key}}; }

struct Process_keys {
    std::string id, key;
};
Process_keys create_process()
{
    auto a = http_request(port(), "POST", "/api/processes", json{{"title", "Lapsen asia"}, {"teams", {"A", "B"}}}.dump());
    if (a.status != 201) throw std::runtime_error("POST /api/processes gave " + std::to_string(a.status) + ": " + a.body);
    return {a.json_body().at("id"), a.json_body().at("key")};
}

Http_answer post_room(const json& body, std::vector<std::pair<std::string, std::string>> headers = {})
{
    return http_request(port(), "POST", "/api/rooms", body.dump(), std::move(headers));
}

// Everything a member was ever sent, as text.
std::string everything(const Member& m)
{
    std::string out = m.welcome.dump();
    for (const auto& x : m.messages) out += x.dump();
    return out;
}

TEST(Keys, AProcessIdAloneMakesNoMeetingInIt)
{
    auto p = create_process();
    auto first = create_room(port(), {{"title", "Eka"}, {"process", p.id}, {"process_key", p.key}});
    auto outsider = create_room(port(), {{"title", "Muu"}});

    // The id that every member of `first` used to get: no key, no meeting.
    auto without = post_room({{"title", "Kaappaus"}, {"process", p.id}});
    EXPECT_EQ(without.status, 401) << without.body;
    EXPECT_EQ(without.json_body()["error"], "unauthorized");
    EXPECT_EQ(without.body.find("facilitator_key"), std::string::npos);
    for (const std::string& wrong : {outsider.facilitator_key, first.screen_key, std::string("x"), p.id}) {
        auto a = post_room({{"title", "Kaappaus"}, {"process", p.id}, {"process_key", wrong}});
        EXPECT_EQ(a.status, 403) << a.body;
        EXPECT_EQ(a.json_body()["error"], "forbidden");
    }
    // The key in the Authorization header is the organizer's, never the process's.
    EXPECT_EQ(post_room({{"title", "Kaappaus"}, {"process", p.id}}, bearer(p.key)).status, 401);
    EXPECT_EQ(post_room({{"title", "T"}, {"process_key", p.key}}).status, 400) << "a key without a process";
    EXPECT_EQ(post_room({{"title", "T"}, {"process", p.id}, {"process_key", 7}}).status, 400);

    // The process's own key, or the facilitator key of one of its meetings, makes one.
    auto by_process = post_room({{"title", "Toka"}, {"process", p.id}, {"process_key", p.key}});
    ASSERT_EQ(by_process.status, 201) << by_process.body;
    auto by_facilitator = post_room({{"title", "Kolmas"}, {"process", p.id}, {"process_key", first.facilitator_key}, {"team", "B"}});
    ASSERT_EQ(by_facilitator.status, 201) << by_facilitator.body;
    auto listed = http_get(port(), "/api/processes/" + p.id, bearer(p.key));
    ASSERT_EQ(listed.status, 200);
    EXPECT_EQ(listed.json_body()["meetings"].size(), 3u) << "only the meetings made with a key";
    EXPECT_NE(shared_server().log_text().find("process_meeting_added process=" + p.id + " by=facilitator:" + first.code),
              std::string::npos);

    // A meeting outside the process cannot import from it.
    Member f(port(), outsider.code, with_key(outsider.facilitator_key));
    EXPECT_EQ(f.run("item.import", {{"from", first.code}})["code"], "forbidden");
}

TEST(Keys, WithAnOrganizerKeyBothKeysAreGiven)
{
    Temp_dir dir;
    const auto file = dir.path() / "organizer.key";
    std::ofstream(file) << "ORGANIZER-KEY-123\n";
    Server_process server(dir.path() / "keha.db", {"--organizer-key-file", file.string()});
    auto created = http_request(server.port(), "POST", "/api/processes", json{{"title", "P"}}.dump(), bearer("ORGANIZER-KEY-123"));
    ASSERT_EQ(created.status, 201) << created.body;
    const std::string id = created.json_body()["id"], key = created.json_body()["key"];
    auto room = [&](const json& body, const std::string& organizer) {
        return http_request(server.port(), "POST", "/api/rooms", body.dump(), bearer(organizer)).status;
    };
    EXPECT_EQ(room({{"title", "T"}, {"process", id}, {"process_key", key}}, "ORGANIZER-KEY-123"), 201);
    EXPECT_EQ(room({{"title", "T"}, {"process", id}}, "ORGANIZER-KEY-123"), 401) << "the organizer key does not open a process";
    EXPECT_EQ(room({{"title", "T"}, {"process", id}, {"process_key", key}}, key), 403) << "nor the process key the server";
}

TEST(Keys, ParticipantsAndTheProjectorNeverGetTheProcessId)
{
    auto p = create_process();
    auto keys = create_room(port(), {{"title", "Eka"}, {"process", p.id}, {"process_key", p.key}, {"team", "A"}});
    Member f(port(), keys.code, with_key(keys.facilitator_key));
    Member a(port(), keys.code, as_participant("Aino", "expert"));
    Member screen(port(), keys.code, with_key(keys.screen_key));
    const auto last = f.ok("item.add", {{"board", "timeline"}, {"column", "event"}, {"text", "Tapahtuma"}});
    a.catch_up(last);
    screen.catch_up(last);
    EXPECT_EQ(f.state["room"]["process"], p.id) << "the facilitator's console uses it";
    for (Member* m : {&a, &screen}) {
        EXPECT_TRUE(m->state["room"]["process"].is_null()) << m->role;
        EXPECT_EQ(m->state["room"]["team"], "A");
        EXPECT_EQ(everything(*m).find(p.id), std::string::npos) << m->role;
    }
    EXPECT_EQ(fresh_welcome(port(), keys.code, a.token).dump().find(p.id), std::string::npos);
    // A participant made a facilitator is welcomed anew with it.
    f.ok("participant.role", {{"pid", a.you}, {"role", "facilitator"}});
    EXPECT_EQ(fresh_welcome(port(), keys.code, a.token)["state"]["room"]["process"], p.id);
}

TEST(Keys, OnlyFacilitatorsSeeWhoGaveConsent)
{
    auto keys = create_room(port(), {{"title", "Nuoren asia"}, {"language", "en"}});
    Member f(port(), keys.code, with_key(keys.facilitator_key));
    Member screen(port(), keys.code, with_key(keys.screen_key));
    Member a(port(), keys.code, as_participant("Aino"));
    f.ok("room.settings", {{"consent_required", true}, {"hide_names", true}});
    const auto seq = f.ok("consent.record", {{"given_by", "GUARDIAN-NAME and YOUNG-PERSON-NAME"}, {"scope", "School and home"}});
    for (Member* m : {&a, &screen}) m->catch_up(seq);
    EXPECT_EQ(f.state["consent"]["given_by"], "GUARDIAN-NAME and YOUNG-PERSON-NAME");
    for (Member* m : {&a, &screen}) {
        SCOPED_TRACE(m->role);
        EXPECT_EQ(everything(*m).find("NAME"), std::string::npos) << "names hidden or not, who gave consent is the facilitators'";
        EXPECT_EQ(m->state["consent"]["scope"], "School and home") << "that there is consent, everyone sees";
    }
    EXPECT_EQ(fresh_welcome(port(), keys.code, a.token).dump().find("NAME"), std::string::npos);
}

}  // namespace
