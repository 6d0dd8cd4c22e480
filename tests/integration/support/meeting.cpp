#include "support/meeting.hpp"

#include <atomic>
#include <stdexcept>

namespace keha::itest {

Server_process& shared_server()
{
    static Temp_dir dir;
    static Server_process server(dir.path() / "shared.db");
    return server;
}

Room_keys create_room(std::uint16_t port, const json& body)
{
    auto answer = http_request(port, "POST", "/api/rooms", body.dump());
    if (answer.status != 201) throw std::runtime_error("POST /api/rooms gave " + std::to_string(answer.status) + ": " + answer.body);
    auto j = answer.json_body();
    return {j.at("code"), j.at("facilitator_key"), j.at("screen_key")};
}

json hello_message(const std::string& code, json fields)
{
    json m = {{"type", "hello"}, {"room", code}};
    m.update(fields);
    return m;
}

std::string next_command_id()
{
    static std::atomic<int> n{0};
    return "c" + std::to_string(++n);
}

json do_message(const std::string& id, const std::string& cmd, const json& args)
{
    return {{"type", "do"}, {"id", id}, {"cmd", cmd}, {"args", args}};
}

Member::Member(std::uint16_t port, const std::string& code, json fields, Ws_client::Options options,
               std::optional<json> base)
    : ws(port, options)
{
    ws.send(hello_message(code, std::move(fields)));
    auto w = ws.recv();
    if (!w) throw std::runtime_error("no answer to hello");
    if (w->value("type", "") != "welcome") throw std::runtime_error("hello was answered with " + w->dump());
    welcome = *w;
    you = welcome.at("you");
    role = welcome.at("role");
    token = welcome.at("token");
    seq = welcome.at("seq");
    if (welcome.contains("state")) {
        state = welcome["state"];
    } else if (base) {
        state = *base;
        for (const auto& r : welcome.at("replay")) state.patch_inplace(r.at("patch"));
    }
}

void Member::take(const json& m)
{
    messages.push_back(m);
    const auto type = m.value("type", "");
    if ((type == "ack" || type == "error") && m.contains("id") && m["id"].is_string()) replies[m["id"]] = m;
    if (type != "patch") return;
    patches.push_back(m);
    const std::uint64_t s = m.at("seq");
    if (s != seq + 1) {
        ++gaps;
        ADD_FAILURE() << you << " got patch seq " << s << " after seq " << seq;
    }
    seq = s;
    if (!state.is_null()) {
        try {
            state.patch_inplace(m.at("patch"));
        } catch (const std::exception& e) {
            ADD_FAILURE() << you << " could not apply patch " << m.dump() << ": " << e.what();
        }
    }
}

std::optional<json> Member::try_next(std::chrono::milliseconds timeout)
{
    auto m = ws.recv(timeout);
    if (m) take(*m);
    return m;
}

json Member::next(std::chrono::milliseconds timeout)
{
    auto m = try_next(timeout);
    if (!m) throw std::runtime_error(you + ": no message within " + std::to_string(timeout.count()) + " ms");
    return *m;
}

std::string Member::send(const std::string& cmd, const json& args)
{
    auto id = next_command_id();
    ws.send(do_message(id, cmd, args));
    return id;
}

json Member::reply(const std::string& id, std::chrono::milliseconds timeout)
{
    const auto deadline = Clock::now() + timeout;
    for (;;) {
        if (auto it = replies.find(id); it != replies.end()) return it->second;
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        if (left.count() <= 0) throw std::runtime_error(you + ": no reply to " + id);
        next(left);
    }
}

json Member::run(const std::string& cmd, const json& args) { return reply(send(cmd, args)); }

std::uint64_t Member::ok(const std::string& cmd, const json& args)
{
    json r = run(cmd, args);
    if (r.value("type", "") != "ack") throw std::runtime_error(cmd + " " + args.dump() + " was refused: " + r.dump());
    return r.at("seq");
}

void Member::catch_up(std::uint64_t to_seq, std::chrono::milliseconds timeout)
{
    const auto deadline = Clock::now() + timeout;
    while (seq < to_seq) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        if (left.count() <= 0)
            throw std::runtime_error(you + " is at seq " + std::to_string(seq) + ", waited for " + std::to_string(to_seq));
        next(left);
    }
}

void Member::settle(std::chrono::milliseconds quiet)
{
    for (int i = 0; i < 100000 && try_next(quiet); ++i) {
    }
}

json fresh_welcome(std::uint16_t port, const std::string& code, const std::string& token)
{
    Ws_client ws(port);
    ws.send(hello_message(code, with_token(token)));
    auto w = ws.recv();
    if (!w || w->value("type", "") != "welcome" || !w->contains("state"))
        throw std::runtime_error("fresh welcome failed: " + (w ? w->dump() : std::string("nothing")));
    ws.close();
    return *w;
}

Hello_answer hello_answer(std::uint16_t port, const json& hello)
{
    Ws_client ws(port);
    ws.send(hello);
    Hello_answer a;
    a.message = ws.recv();
    a.closed = ws.wait_closed(3s) && !ws.recv(100ms);
    return a;
}

json item_of(const json& state, const std::string& board, const std::string& id)
{
    const auto ptr = json::json_pointer("/boards/" + board + "/items/" + id);
    return state.contains(ptr) ? state[ptr] : json();
}

}  // namespace keha::itest
