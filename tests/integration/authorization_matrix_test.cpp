// The authorization matrix of docs/security.md, against the real keha-server:
//   - every command × every role in a room (facilitator, participant, experience expert,
//     screen, someone waiting in the lobby) over WebSocket: allowed or `forbidden`, exactly
//     as docs/protocol.md §6, §8 and §10 say — before and after the room is closed;
//   - every HTTP endpoint × every key (none, a wrong one, a participant's resume token, the
//     screen key, the facilitator key of this room and of another, the process key, the key
//     of another process, the organizer key) → the status the protocol promises;
//   - every key in a hello → the role it gives, or the error.
// The command table is written from the documentation, not from the code, and a command the
// reducer knows without a row here fails the test, so no command ships without its row.
#include <gtest/gtest.h>

#include <fstream>
#include <set>

#include "keha/permissions.hpp"
#include "support/meeting.hpp"

using namespace keha::itest;

namespace {

// Who may send a command at all (the role check; ownership is checked apart, below).
// The columns: a facilitator; a participant (the experience expert is a participant in
// the group `expert`, with the same rights); a screen; a participant waiting in the lobby.
// `args` may name "$own": an item of the sender. `setup` is a command the facilitator runs
// first, so that an allowed sender meets the state the command is for.
struct Row {
    std::string cmd;
    bool facilitator, participant, screen, lobby;
    json args = json::object();
    std::string setup_cmd = {};
    json setup_args = json::object();
};

const std::vector<Row>& command_table()
{
    static const std::vector<Row> rows = {
        // docs/protocol.md §6, core commands.
        {"item.add", true, true, false, false, {{"board", "timeline"}, {"column", "event"}, {"text", "Uusi"}}},
        {"item.edit", true, true, false, false, {{"board", "timeline"}, {"id", "$own"}, {"text", "Muokattu"}}},
        {"item.move", true, true, false, false, {{"board", "timeline"}, {"id", "$own"}, {"order", 9.5}}},
        {"item.vote", true, true, false, false, {{"board", "timeline"}, {"id", "$own"}}},
        {"item.reveal", true, true, false, false, {{"board", "timeline"}}},
        {"item.delete", true, true, false, false, {{"board", "timeline"}, {"id", "$own"}}},
        {"phase.goto", true, false, false, false, {{"phase", "vision"}}},
        {"room.update", true, false, false, false, {{"title", "Uusi otsikko"}}},
        {"room.lock", true, false, false, false, {{"locked", false}}},
        {"timer.start", true, false, false, false, {{"duration_s", 60}}},
        {"timer.pause", true, false, false, false},
        {"timer.resume", true, false, false, false},
        {"timer.reset", true, false, false, false},
        {"hand.raise", true, true, false, false},
        {"hand.lower", true, true, false, false},
        {"participant.rename", true, true, false, false, {{"name", "Uusi nimi"}}},
        {"participant.remove", true, false, false, false, {{"pid", "p999999"}}},
        // The server's own commands: no person may send them.
        {"participant.join", false, false, false, false, {{"name", "X"}, {"group", "other"}, {"role", "participant"}}},
        {"participant.online", false, false, false, false, {{"pid", "p999999"}}},
        {"participant.offline", false, false, false, false, {{"pid", "p999999"}}},
        {"ratings.stored", false, false, false, false, {{"count", 1}}},
        {"qa.publish", false, false, false, false, {{"topic", "qa/qa1"}, {"answers", {"a", "b", "c"}}}},
        // docs/protocol.md §8, facilitation commands.
        {"room.settings", true, false, false, false, {{"vote_limit", 0}}},
        {"participant.role", true, false, false, false, {{"pid", "p999999"}, {"role", "participant"}}},
        {"participant.admit", true, false, false, false, {{"pid", "p999999"}}},
        {"participant.merge", true, false, false, false, {{"from", "p999998"}, {"into", "p999999"}}},
        {"consent.record", true, false, false, false, {{"given_by", "Huoltaja"}, {"scope", "Tämä kokous"}}},
        {"item.approve", true, false, false, false, {{"board", "timeline"}, {"id", "$own"}}},
        {"item.decline", true, false, false, false, {{"board", "timeline"}, {"id", "$own"}}},
        {"phase.add", true, false, false, false, {{"title", "Tauko"}}},
        {"phase.move", true, false, false, false, {{"phase", "closing"}, {"index", 1}}},
        {"phase.remove", true, false, false, false, {{"phase", "closing"}}},
        {"turns.reflecting.start", true, false, false, false, {{"focus_group", "professional"}, {"reflect_group", "expert"}}},
        {"turns.stage", true, false, false, false, {{"stage", "reflection"}}},
        {"turns.next", true, false, false, false},
        {"turns.end", true, false, false, false},
        {"turns.round.start", true, false, false, false},
        // The current speaker of a round may pass or finish (§8): the round is the
        // participant's, then the expert's turn.
        {"turns.round.pass", true, true, false, false, json::object(), "turns.round.start", {{"order", "$speakers"}}},
        {"turns.round.done", true, true, false, false, json::object(), "turns.round.start", {{"order", "$speakers"}}},
        {"turns.queue.start", true, false, false, false},
        {"turns.floor.give", true, false, false, false},
        {"turns.pairs.start", true, false, false, false},
        // docs/protocol.md §10.
        {"ratings.open", true, false, false, false},
        {"rating.submit", true, true, false, false, {{"answers", {{"useful", 8}}}}},
        {"ratings.close", true, false, false, false},
        {"ratings.comment.show", true, false, false, false, {{"shown", true}}},
        {"item.import", true, false, false, false, {{"from", "ZZZ234"}}},
        {"item.copy", true, false, false, false, {{"board", "timeline"}, {"id", "$own"}}},
        // docs/protocol.md §8.2: Q&A. The facilitator opens one first ("qa1" is its id).
        {"qa.open", true, false, false, false, {{"title", "Kysymyksiä"}}},
        {"qa.ask", true, true, false, false, {{"qa", "qa1"}, {"text", "Miksi?"}}},
        {"qa.upvote", true, true, false, false, {{"qa", "qa1"}, {"question", "q1_1"}}},
        {"qa.answered", true, false, false, false, {{"qa", "qa1"}, {"question", "q1_1"}}},
        {"qa.hide", true, false, false, false, {{"qa", "qa1"}, {"question", "q1_1"}}},
        {"qa.approve", true, false, false, false, {{"qa", "qa1"}, {"question", "q1_1"}}},
        {"qa.close", true, false, false, false, {{"qa", "qa1"}}},
        // docs/protocol.md §8.3, "Private writing" and §8.4, "Spotlight" (a board no other row writes on).
        {"board.private", true, false, false, false, {{"board", "hypotheses"}, {"private", true}}},
        {"board.reveal", true, false, false, false, {{"board", "hypotheses"}}},
        {"spotlight.set", true, false, false, false, {{"board", "plan"}}},
        {"spotlight.clear", true, false, false, false},
        // docs/protocol.md §8.5, "Grouping and voting": grouping is the facilitators' unless the room
        // lets everyone group (room.settings.grouping), so a participant is refused by default.
        {"item.group", true, false, false, false, {{"board", "timeline"}, {"id", "$own"}, {"onto", "i999999"}}},
        {"item.ungroup", true, false, false, false, {{"board", "timeline"}, {"id", "$own"}}},
        {"group.rename", true, false, false, false, {{"board", "timeline"}, {"group", "g999999"}, {"title", "Ryhmä"}}},
        {"vote.start", true, false, false, false, {{"board", "vision"}, {"limit", 3}, {"duration_s", 0}}},
        {"vote.end", true, false, false, false},
        {"board.sort", true, false, false, false, {{"board", "vision"}, {"by", "votes"}}},
        // docs/protocol.md §8.1, quick polls (the poll named does not exist: allowed is not_found).
        {"poll.open", true, false, false, false, {{"kind", "scale"}, {"question", "Jaksatko?"}}},
        {"poll.answer", true, true, false, false, {{"poll", "l999999"}, {"value", 5}}},
        {"poll.close", true, false, false, false, {{"poll", "l999999"}}},
        {"poll.reveal", true, false, false, false, {{"poll", "l999999"}}},
        {"poll.remove", true, false, false, false, {{"poll", "l999999"}}},
        {"poll.tally", false, false, false, false, {{"topic", "poll/l999999"}, {"answers", {{{"value", 1}}}}}},
        // Last: it ends the meeting.
        {"room.close", true, false, false, false},
    };
    return rows;
}

// A participant waiting in the lobby: a bare connection that got {"type":"lobby"}.
struct Waiting {
    Waiting(std::uint16_t port, const std::string& code) : ws(port)
    {
        ws.send(hello_message(code, as_participant("Odottaja", "other")));
        auto m = ws.recv();
        if (!m || m->value("type", "") != "lobby") throw std::runtime_error("expected lobby, got " + (m ? m->dump() : "nothing"));
        pid = m->value("you", "");
    }
    json run(const std::string& cmd, const json& args)
    {
        const std::string id = next_command_id();
        ws.send(do_message(id, cmd, args));
        for (;;) {
            auto m = ws.recv();
            if (!m) throw std::runtime_error("no answer to " + cmd + " in the lobby");
            if (m->value("id", json()) == id) return *m;
        }
    }
    Ws_client ws;
    std::string pid;
};

std::string item_id(std::uint64_t seq)
{
    std::string id = "i";
    id += std::to_string(seq);
    return id;
}

json with_own(json args, const std::string& own, const json& speakers)
{
    for (auto& [k, v] : args.items()) {
        if (v == "$own") v = own;
        if (v == "$speakers") v = speakers;
    }
    return args;
}

std::string answer_code(const json& reply) { return reply.value("type", "") == "ack" ? "ack" : reply.value("code", "?"); }

}  // namespace

TEST(AuthorizationMatrix, EveryCommandTheReducerKnowsHasARow)
{
    std::set<std::string> rows;
    for (const auto& r : command_table()) EXPECT_TRUE(rows.insert(r.cmd).second) << "two rows for " << r.cmd;
    std::set<std::string> known;
    for (auto c : keha::known_commands()) known.insert(std::string(c));
    for (const auto& c : known) EXPECT_TRUE(rows.count(c)) << c << " has no row in the authorization matrix";
    for (const auto& c : rows) EXPECT_TRUE(known.count(c)) << c << " is in the matrix but the reducer does not know it";
}

TEST(AuthorizationMatrix, EveryCommandInEveryRoleOverWebSocket)
{
    const auto port = shared_server().port();
    const auto keys = create_room(port, {{"title", "Matrix"}, {"language", "fi"}});
    Member f(port, keys.code, with_key(keys.facilitator_key));
    Member p(port, keys.code, as_participant("Aino", "professional"));
    Member e(port, keys.code, as_participant("Bertil", "expert"));
    Member s(port, keys.code, with_key(keys.screen_key));
    f.ok("room.settings", {{"admit_joiners", true}});  // stays on: the lobby keeps its member
    Waiting lobby(port, keys.code);
    std::map<std::string, std::string> own;
    for (Member* m : {&f, &p, &e})
        own[m->you] = item_id(m->ok("item.add", {{"board", "timeline"}, {"column", "event"}, {"text", "Oma " + m->you}}));
    const json speakers = {p.you, e.you};

    auto expect = [&](const std::string& who, const Row& row, bool allowed, const json& reply, bool closed) {
        const std::string got = answer_code(reply);
        if (!allowed) EXPECT_EQ(got, "forbidden") << who << " sent " << row.cmd << ": " << reply.dump();
        else if (closed) EXPECT_EQ(got, "room_closed") << who << " sent " << row.cmd << " in a closed room: " << reply.dump();
        else EXPECT_NE(got, "forbidden") << who << " may send " << row.cmd << ": " << reply.dump();
    };
    for (const Row& row : command_table()) {
        if (!row.setup_cmd.empty()) f.ok(row.setup_cmd, with_own(row.setup_args, "", speakers));
        const json for_others = with_own(row.args, own[f.you], speakers);
        expect("the screen", row, row.screen, s.run(row.cmd, for_others), false);
        expect("someone in the lobby", row, row.lobby, lobby.run(row.cmd, for_others), false);
        expect("a participant", row, row.participant, p.run(row.cmd, with_own(row.args, own[p.you], speakers)), false);
        expect("an experience expert", row, row.participant, e.run(row.cmd, with_own(row.args, own[e.you], speakers)), false);
        expect("the facilitator", row, row.facilitator, f.run(row.cmd, for_others), false);
    }

    // room.close (the last row) ended the meeting and sent everyone away. People may not come
    // back; the facilitator and the screen may, and every command is then room_closed — or
    // still forbidden for a role that may never send it.
    for (const json& hello : {as_participant("Uusi"), with_token(p.token)})
        EXPECT_EQ(hello_answer(port, hello_message(keys.code, hello)).message.value_or(json()).value("code", ""), "room_closed");
    Member f2(port, keys.code, with_key(keys.facilitator_key));
    Member s2(port, keys.code, with_key(keys.screen_key));
    for (const Row& row : command_table()) {
        const json args = with_own(row.args, own[f.you], speakers);
        expect("the screen", row, row.screen, s2.run(row.cmd, args), true);
        expect("the facilitator", row, row.facilitator, f2.run(row.cmd, args), true);
    }
}

// What only the item's author (or a facilitator) may do, and someone else's hand.
TEST(AuthorizationMatrix, OwnershipOverWebSocket)
{
    const auto port = shared_server().port();
    const auto keys = create_room(port, {{"title", "Matrix ownership"}, {"language", "fi"}});
    Member f(port, keys.code, with_key(keys.facilitator_key));
    Member author(port, keys.code, as_participant("Aino"));
    Member other(port, keys.code, as_participant("Bertil", "expert"));
    const std::string id = item_id(author.ok("item.add", {{"board", "vision"}, {"column", "vision"}, {"text", "Oma"}, {"hidden", true}}));
    const json item = {{"board", "vision"}, {"id", id}};
    struct Own {
        std::string cmd;
        json args;
    };
    for (const Own& c : std::vector<Own>{{"item.edit", {{"text", "Toisen"}}}, {"item.move", {{"order", 5.0}}}, {"item.vote", json::object()}, {"item.reveal", json::object()}, {"item.delete", json::object()}}) {
        json args = item;
        args.update(c.args);
        EXPECT_EQ(answer_code(other.run(c.cmd, args)), "forbidden") << "someone else's hidden item: " << c.cmd;
    }
    auto edit = [&](const std::string& text) { return json{{"board", "vision"}, {"id", id}, {"text", text}}; };
    EXPECT_EQ(answer_code(author.run("item.edit", edit("Omani"))), "ack") << "the author edits";
    author.ok("hand.raise");
    EXPECT_EQ(answer_code(other.run("hand.lower", {{"pid", author.you}})), "forbidden") << "someone else's hand";
    EXPECT_EQ(answer_code(f.run("hand.lower", {{"pid", author.you}})), "ack") << "the facilitator lowers anyone's hand";
    EXPECT_EQ(answer_code(f.run("item.edit", edit("Fasilitaattorin"))), "ack") << "a facilitator edits anyone's item";
    EXPECT_EQ(answer_code(f.run("participant.remove", {{"pid", f.you}})), "forbidden") << "a facilitator cannot remove a facilitator";
    // Erasing an item's text from the history is a facilitator's (§11.2), even for its author.
    EXPECT_EQ(answer_code(author.run("item.delete", {{"board", "vision"}, {"id", id}, {"erase", true}})), "forbidden");
    EXPECT_EQ(answer_code(f.run("item.delete", {{"board", "vision"}, {"id", id}, {"erase", true}})), "ack");
}

namespace {

// The keys a request can carry (docs/security.md, "Authorization matrix").
enum Key { none, wrong, participant_token, screen_key, facilitator_key, other_facilitator_key, process_key, other_process_key, organizer_key };
constexpr Key all_keys[] = {none, wrong, participant_token, screen_key, facilitator_key, other_facilitator_key, process_key, other_process_key};
const char* key_name(Key k)
{
    static const char* names[] = {"no key", "a wrong key", "a participant's resume token", "the screen key",
                                  "the room's facilitator key", "another room's facilitator key", "the process key",
                                  "another process's key", "the organizer key"};
    return names[k];
}

// An HTTP refusal carries the code its status stands for (docs/protocol.md §2): 401 is always
// `unauthorized` (no key), 403 always `forbidden` (a key that does not open it), 404 names
// what is missing.
void expect_code_of_status(const Http_answer& answer, const std::string& what)
{
    static const std::map<int, std::set<std::string>> codes = {
        {401, {"unauthorized"}}, {403, {"forbidden"}}, {404, {"not_found", "unknown_room"}}};
    const auto allowed = codes.find(answer.status);
    if (allowed == codes.end()) return;
    const std::string code = answer.json_body().value("error", "");
    EXPECT_TRUE(allowed->second.count(code)) << what << ": " << answer.status << " with the code \"" << code << "\"";
}

struct Endpoint {
    std::string method, target;
    std::map<Key, int> status;  // keys not named: `others`
    int others;
    std::string body = {};
};

}  // namespace

TEST(AuthorizationMatrix, EveryHttpEndpointWithEveryKey)
{
    // Its own server: the matrix names unknown rooms with every key, more than the wrong-code
    // throttle allows one address (that throttle is the limits tests' subject).
    Temp_dir dir;
    Server_process server(dir.path() / "matrix.db", {"--code-tries", "1000"});
    const auto port = server.port();
    auto created = http_request(port, "POST", "/api/processes", json{{"title", "Matrix"}, {"teams", {"A", "B"}}}.dump());
    ASSERT_EQ(created.status, 201) << created.body;
    const std::string process = created.json_body()["id"], pkey = created.json_body()["key"];
    auto other_process = http_request(port, "POST", "/api/processes", json{{"title", "Other"}}.dump());
    ASSERT_EQ(other_process.status, 201);
    const auto room = create_room(port, {{"title", "Matrix"}, {"process", process}, {"process_key", pkey}, {"team", "A"}});
    const auto other_room = create_room(port, {{"title", "Other"}});
    Member f(port, room.code, with_key(room.facilitator_key));
    Member p(port, room.code, as_participant("Aino"));
    f.ok("item.add", {{"board", "timeline"}, {"column", "event"}, {"text", "Tapahtui"}});

    const std::map<Key, std::string> secrets = {
        {wrong, "wrong-key-AAAAAAAAAAAAAAAAAAAAAAAAAAAA"}, {participant_token, p.token}, {screen_key, room.screen_key},
        {facilitator_key, room.facilitator_key}, {other_facilitator_key, other_room.facilitator_key}, {process_key, pkey},
        {other_process_key, other_process.json_body()["key"]}};
    const std::string r = "/api/rooms/" + room.code, pr = "/api/processes/" + process;
    const std::vector<Endpoint> endpoints = {
        // docs/protocol.md §2: public.
        {"GET", "/healthz", {}, 200},
        {"GET", "/api/templates", {}, 200},
        {"GET", r, {}, 200},
        {"GET", r + "/qr.svg", {}, 200},
        {"GET", "/api/rooms/ZZZ234", {}, 404},
        // Anyone may create when no organizer key is configured (below: when one is).
        {"POST", "/api/rooms", {}, 201, R"({"title":"Uusi"})"},
        {"POST", "/api/processes", {}, 201, R"({"title":"Uusi"})"},
        // §10.1–10.3: the room's facilitator key only; 401 without a key, 403 with any other.
        {"GET", r + "/export", {{none, 401}, {facilitator_key, 200}}, 403},
        {"GET", r + "/export?format=json", {{none, 401}, {facilitator_key, 200}}, 403},
        {"GET", r + "/export/check", {{none, 401}, {facilitator_key, 200}}, 403},
        {"GET", r + "/history", {{none, 401}, {facilitator_key, 200}}, 403},
        {"GET", r + "/history?seq=1", {{none, 401}, {facilitator_key, 200}}, 403},
        {"GET", "/api/rooms/ZZZ234/export", {}, 404},
        {"GET", "/api/rooms/ZZZ234/history", {}, 404},
        // §10.4: the process key, or the facilitator key of one of its meetings.
        {"GET", pr, {{none, 401}, {process_key, 200}, {facilitator_key, 200}}, 403},
        {"GET", pr + "/report", {{none, 401}, {process_key, 200}, {facilitator_key, 200}}, 403},
        {"GET", pr + "/report?format=html", {{none, 401}, {process_key, 200}, {facilitator_key, 200}}, 403},
        {"GET", "/api/processes/prc_nosuchprocess00", {}, 404},
        {"GET", "/api/nothing", {}, 404},
        // §11.3: the meeting's access log with its facilitator key; the whole log only with
        // the organizer key, which this server has none of.
        {"GET", r + "/access-log", {{none, 401}, {facilitator_key, 200}}, 403},
        {"GET", r + "/access-log?format=csv", {{none, 401}, {facilitator_key, 200}}, 403},
        {"GET", "/api/access-log", {}, 403},
        {"GET", "/api/rooms/ZZZ234/access-log", {}, 404},
        // §11.1: deleting a meeting (this one answers for an unknown room; below, a real one).
        {"DELETE", "/api/rooms/ZZZ234", {}, 404},
    };
    for (const auto& e : endpoints)
        for (Key k : all_keys) {
            std::vector<std::pair<std::string, std::string>> headers;
            if (k != none) headers.push_back({"Authorization", "Bearer " + secrets.at(k)});
            const auto answer = http_request(port, e.method, e.target, e.body, headers);
            const int want = e.status.count(k) ? e.status.at(k) : e.others;
            EXPECT_EQ(answer.status, want) << e.method << " " << e.target << " with " << key_name(k) << ": " << answer.body;
            expect_code_of_status(answer, e.method + " " + e.target + " with " + key_name(k));
        }

    // A meeting joins a process with the process key or the facilitator key of one of its
    // meetings, given in the body as "process_key" (§10.4).
    for (Key k : all_keys) {
        json body = {{"title", "Uusi"}, {"process", process}};
        if (k != none) body["process_key"] = secrets.at(k);
        const int want = k == none ? 401 : (k == process_key || k == facilitator_key) ? 201 : 403;
        const auto answer = http_request(port, "POST", "/api/rooms", body.dump());
        EXPECT_EQ(answer.status, want) << "a meeting of the process with " << key_name(k);
        expect_code_of_status(answer, std::string("a meeting of the process with ") + key_name(k));
    }

    // DELETE /api/rooms/{code}: only its facilitator key, last, since it deletes the room.
    for (Key k : all_keys) {
        if (k == facilitator_key) continue;
        std::vector<std::pair<std::string, std::string>> headers;
        if (k != none) headers.push_back({"Authorization", "Bearer " + secrets.at(k)});
        const auto answer = http_request(port, "DELETE", r, {}, headers);
        EXPECT_EQ(answer.status, k == none ? 401 : 403) << "DELETE with " << key_name(k);
        expect_code_of_status(answer, std::string("DELETE with ") + key_name(k));
    }
    EXPECT_EQ(http_request(port, "DELETE", r, {}, {{"Authorization", "Bearer " + room.facilitator_key}}).status, 200);
    EXPECT_EQ(http_get(port, r + "/export", {{"Authorization", "Bearer " + room.facilitator_key}}).status, 404) << "deleted";
}

// With an organizer key configured, creating a room or a process needs it; nothing else does.
TEST(AuthorizationMatrix, CreatingWithAnOrganizerKey)
{
    Temp_dir dir;
    const std::string organizer = "organizer-key-for-the-matrix-0123456789";
    std::ofstream(dir.path() / "organizer.key") << organizer << "\n";
    Server_process server(dir.path() / "keha.db", {"--organizer-key-file", (dir.path() / "organizer.key").string()});
    const auto port = server.port();
    const auto bearer = [](const std::string& key) { return std::vector<std::pair<std::string, std::string>>{{"Authorization", "Bearer " + key}}; };
    auto room = http_request(port, "POST", "/api/rooms", R"({"title":"Järjestäjän"})", bearer(organizer));
    ASSERT_EQ(room.status, 201) << room.body;
    const std::string fkey = room.json_body()["facilitator_key"], skey = room.json_body()["screen_key"];
    auto process = http_request(port, "POST", "/api/processes", R"({"title":"Järjestäjän"})", bearer(organizer));
    ASSERT_EQ(process.status, 201) << process.body;
    const std::string pkey = process.json_body()["key"];
    for (const std::string target : {"/api/rooms", "/api/processes"}) {
        const auto no_key = http_request(port, "POST", target, R"({"title":"X"})");
        EXPECT_EQ(no_key.status, 401) << target << " with no key";
        expect_code_of_status(no_key, target + " with no key");
        for (const std::string& key : {std::string("wrong-key"), fkey, skey, pkey}) {
            const auto answer = http_request(port, "POST", target, R"({"title":"X"})", bearer(key));
            EXPECT_EQ(answer.status, 403) << target << " with another key";
            expect_code_of_status(answer, target + " with another key");
        }
        EXPECT_EQ(http_request(port, "POST", target, R"({"title":"X"})", bearer(organizer)).status, 201) << target << " with the organizer key";
    }
    // The whole access log is the organizer's.
    expect_code_of_status(http_get(port, "/api/access-log"), "the whole access log with no key");
    EXPECT_EQ(http_get(port, "/api/access-log").status, 401);
    for (const std::string& key : {std::string("wrong-key"), fkey, skey, pkey}) {
        const auto answer = http_get(port, "/api/access-log", bearer(key));
        EXPECT_EQ(answer.status, 403);
        expect_code_of_status(answer, "the whole access log with another key");
    }
    EXPECT_EQ(http_get(port, "/api/access-log", bearer(organizer)).status, 200);
    // The organizer key opens no meeting.
    const std::string code = room.json_body()["code"];
    EXPECT_EQ(http_get(port, "/api/rooms/" + code + "/export", bearer(organizer)).status, 403);
    EXPECT_EQ(http_get(port, "/api/rooms/" + code + "/history", bearer(organizer)).status, 403);
    EXPECT_EQ(http_get(port, "/api/rooms/" + code + "/access-log", bearer(organizer)).status, 403);
    EXPECT_EQ(http_request(port, "DELETE", "/api/rooms/" + code, {}, bearer(organizer)).status, 403);
}

// What each key in a hello gives (docs/protocol.md §3).
TEST(AuthorizationMatrix, EveryKeyInAHello)
{
    const auto port = shared_server().port();
    auto created = http_request(port, "POST", "/api/processes", json{{"title", "Hello matrix"}}.dump());
    ASSERT_EQ(created.status, 201);
    const std::string pkey = created.json_body()["key"];
    const auto room = create_room(port, {{"title", "Hello matrix"}, {"process", created.json_body()["id"]}, {"process_key", pkey}});
    const auto other = create_room(port, {{"title", "Other"}});
    Member p(port, room.code, as_participant("Aino"));
    Member other_p(port, other.code, as_participant("Bertil"));
    auto role_of = [&](const json& fields) {
        Ws_client ws(port);
        ws.send(hello_message(room.code, fields));
        auto m = ws.recv();
        if (!m) return std::string("nothing");
        if (m->value("type", "") == "welcome") return m->value("role", "");
        return m->value("code", m->value("type", ""));
    };
    EXPECT_EQ(role_of(with_key(room.facilitator_key)), "facilitator");
    EXPECT_EQ(role_of(with_key(room.screen_key)), "screen");
    EXPECT_EQ(role_of(as_participant("Chidi")), "participant");
    EXPECT_EQ(role_of(with_token(p.token)), "participant");
    for (const std::string& key : {other.facilitator_key, other.screen_key, pkey, std::string("wrong")})
        EXPECT_EQ(role_of(with_key(key)), "unauthorized") << "a key of something else";
    EXPECT_EQ(role_of(with_token(other_p.token)), "unauthorized") << "another room's resume token";
    EXPECT_EQ(role_of(with_token(room.facilitator_key)), "unauthorized") << "a key is no token";
}
