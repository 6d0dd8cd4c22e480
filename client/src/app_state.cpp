#include "app_state.hpp"

#include <algorithm>
#include <GLFW/glfw3.h>
#include <cstdio>
#include <filesystem>
#include <spawn.h>

#include "keha/code.hpp"
#include "keha/error.hpp"
#include "keha/protocol.hpp"

extern char** environ;

namespace keha::desk {

void App_state::enter_room(Server_url url, std::string room_code, Hello hello, Face new_face)
{
    server = std::move(url);
    code = std::move(room_code);
    hello.room = code;
    if (new_face == Face::console) facilitator_key = hello.key;
    if (new_face == Face::projector) screen_key = hello.key;
    face = new_face;
    // A participant comes back as the same person: the token this machine remembers.
    remember_token = hello.key.empty() && new_face != Face::projector;
    token_remembered = false;
    token_saved.clear();
    device_offer.reset();
    if (remember_token && hello.token.empty() && hello.rejoin.empty()) {
        // Another name typed at this computer is another person: their own join.
        auto remembered = tokens.load(server->base(), code);
        if (remembered && (hello.name.empty() || hello.name == remembered->name)) {
            hello.token = remembered->token;
            token_remembered = true;
            token_saved = hello.token;
        }
    }
    hello_sent = hello;
    doc = Document{};
    link = Link::connecting;
    link_detail.clear();
    net = std::make_unique<Net_client>(*server, std::move(hello), wake);
    net->start();
}

void App_state::send(const std::string& cmd, json args)
{
    if (!net) return;
    net->send(cmd, std::move(args));
}

void App_state::notify(std::string text, bool error)
{
    notices.push_back({std::move(text), time + (error ? 8.0 : 4.0), error});
    if (notices.size() > 4) notices.erase(notices.begin());
}

void App_state::set_language(const std::string& lang)
{
    if (lang == str.lang()) return;
    str.load(assets_dir, lang);
}

// A participant's token, remembered per server and room so a restart rejoins as the same person.
void App_state::remember_token_of(const json& m, std::string_view type)
{
    if (!remember_token || !m.contains("token") || !m["token"].is_string() || m["token"] == token_saved) return;
    token_saved = m["token"].get<std::string>();
    // The name given at the join, else the one in the room (a rejoin link has none).
    std::string name = hello_sent.name;
    if (name.empty() && type == protocol::type::welcome && m.contains("state") && m["state"].is_object()) {
        const json& people = m["state"].value("participants", json::object());
        const std::string you = m.value("you", "");
        if (people.contains(you)) name = people[you].value("name", "");
    }
    tokens.save(server->base(), code, token_saved, name);
}

// Any welcome resets the copy: the first one, after a reconnect, after the lobby, and the fresh
// one every member gets when settings or roles change; the window's face follows the role.
Apply_result App_state::take_welcome(const json& m)
{
    std::string was = doc.role();
    Apply_result r = doc.apply_welcome(m);
    if (r != Apply_result::applied) return r;
    if (language_from_room && !doc.room_language().empty()) set_language(doc.room_language());
    if (doc.is_facilitator() && face == Face::participant) {
        face = Face::console;
        if (was == "participant") notify(str("desk.role.now_facilitator"));
    }
    if (!doc.is_facilitator() && !doc.is_screen() && face == Face::console) {
        face = Face::participant;
        if (was == "facilitator") notify(str("desk.role.now_participant"));
    }
    if (doc.is_screen()) face = Face::projector;
    return r;
}

void App_state::pump()
{
    namespace type = protocol::type;
    if (!net) return;
    const std::string removed(protocol::to_string(protocol::Bye_reason::removed));
    for (Net_event& event : net->take()) {
        if (event.kind == Net_event::Kind::link) {
            link = event.link;
            link_detail = event.detail;
            continue;
        }
        const json& m = event.message;
        std::string t = m.value("type", "");
        Apply_result r = Apply_result::applied;
        if (t == type::welcome || t == type::lobby) remember_token_of(m, t);
        if (t == type::error && token_remembered && m.value("code", "") == to_string(Error_code::unauthorized) &&
            m.value("id", json()).is_null()) {
            // The remembered token is no longer good (the person was removed, the meeting
            // is another one now): forget it and join with the name, as asked.
            tokens.forget(server->base(), code);
            Hello fresh = hello_sent;
            fresh.token.clear();
            if (!fresh.name.empty()) {
                enter_room(*server, code, fresh, face);
                break;
            }
        }
        if (t == type::bye && m.value("reason", "") == removed) tokens.forget(server->base(), code);
        if (t == type::welcome || t == type::patch) text_seen.add_json(m);  // the letters the fonts must draw
        if (t == type::welcome) {
            r = take_welcome(m);
        } else if (t == type::lobby) {
            doc.apply_lobby(m);
        } else if (t == type::patch) {
            r = doc.apply_patch_message(m);
        } else if (t == type::rejoin_code) {
            device_offer = parse_rejoin_offer(m);
        } else if (t == type::ack && m.contains("imported")) {
            notify(import_summary_text(str, m["imported"]));  // what an item.import brought
        } else if (t == type::error) {
            std::string error_code = m.value("code", "");
            std::string key = error_code == "offline" ? "desk.error.offline" : "error." + error_code;
            notify(str(key), true);
        } else if (t == type::bye && m.value("reason", "") != protocol::to_string(protocol::Bye_reason::moved)) {
            // moved: another node has the room; the reconnect goes there, unannounced.
            notify(str("desk.bye." + m.value("reason", "")), true);
        }
        if (r == Apply_result::gap || r == Apply_result::failed) {
            net->resync();
            break;  // what follows is based on a state we do not have
        }
    }
}

std::int64_t App_state::server_now() const { return now_ms + (net ? net->server_offset_ms() : 0); }

std::string App_state::display_code() const
{
    std::string c = doc.room_code().empty() ? code : doc.room_code();
    if (c.size() == 8) return c.substr(0, 4) + "-" + c.substr(4);
    if (c.size() == 6) return c.substr(0, 3) + "-" + c.substr(3);
    return c;
}

std::string App_state::group_label(const std::string& group) const
{
    return str("group." + (group.empty() ? std::string("other") : group));
}

bool App_state::names_hidden() const
{
    if (face == Face::projector) return hide_names || doc.setting("hide_names");
    return !doc.is_facilitator() && doc.setting("hide_names");
}

std::string App_state::person_label(const std::string& pid) const
{
    const json* p = doc.participant(pid);
    std::string group = p ? p->value("group", std::string()) : std::string();
    std::string name = doc.name_of(pid);
    if (pid == doc.you() && !name.empty()) return name;
    if (names_hidden() || name.empty()) return group_label(group);
    return name;
}

std::string App_state::people_line(const std::vector<std::string>& pids) const
{
    std::string out;
    auto add = [&](const std::string& text) { out += (out.empty() ? "" : ", ") + text; };
    if (!names_hidden()) {
        for (const auto& pid : pids) add(person_label(pid));
        return out;
    }
    std::vector<std::pair<std::string, int>> groups;  // in order of first appearance
    for (const auto& pid : pids) {
        const json* p = doc.participant(pid);
        std::string g = p ? p->value("group", std::string("other")) : std::string("other");
        auto it = std::find_if(groups.begin(), groups.end(), [&](const auto& e) { return e.first == g; });
        if (it == groups.end()) groups.emplace_back(g, 1);
        else ++it->second;
    }
    for (const auto& [g, n] : groups) add(group_label(g) + (n > 1 ? " \u00d7" + std::to_string(n) : std::string()));
    return out;
}

std::optional<std::int64_t> App_state::timer_remaining() const
{
    const json& state = doc.state();
    if (!state.is_object() || !state.contains("timer")) return std::nullopt;
    return timer_remaining_ms(state["timer"], now_ms, net ? net->server_offset_ms() : 0);
}

std::optional<Api_client> App_state::api() const
{
    if (!server || facilitator_key.empty()) return std::nullopt;
    return Api_client(*server, facilitator_key, code);
}

bool App_state::open_projector_window()
{
    if (!server || screen_key.empty()) return false;
    std::error_code ec;
    std::string exe = std::filesystem::read_symlink("/proc/self/exe", ec).string();
    if (ec) return false;
    int monitors = 0;
    glfwGetMonitors(&monitors);
    std::vector<std::string> args = {exe, "--projector", "--server", server->base(), "--room", code,
                                     "--lang", str.lang()};
    if (monitors > 1) {
        args.push_back("--fullscreen");
        args.push_back("1");
    }
    if (hide_names) args.push_back("--hide-names");
    if (chime) args.push_back("--chime");
    if (!server->ca_file.empty()) {
        args.push_back("--ca-file");
        args.push_back(server->ca_file);
    }
    // The key goes through the environment, not the command line that `ps` shows.
    std::vector<std::string> env_strings;
    for (char** e = environ; *e; ++e)
        if (std::string_view(*e).rfind("KEHA_SCREEN_KEY=", 0) != 0) env_strings.emplace_back(*e);
    env_strings.push_back("KEHA_SCREEN_KEY=" + screen_key);
    std::vector<char*> argv, envp;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    for (auto& e : env_strings) envp.push_back(e.data());
    envp.push_back(nullptr);
    pid_t pid = 0;
    return posix_spawn(&pid, exe.c_str(), nullptr, nullptr, argv.data(), envp.data()) == 0;
}

}  // namespace keha::desk
