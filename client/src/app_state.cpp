#include "app_state.hpp"

#include <algorithm>
#include <GLFW/glfw3.h>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <spawn.h>

#include "keha/code.hpp"

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

void App_state::pump()
{
    if (!net) return;
    for (Net_event& event : net->take()) {
        if (event.kind == Net_event::Kind::link) {
            link = event.link;
            link_detail = event.detail;
            continue;
        }
        const json& m = event.message;
        std::string type = m.value("type", "");
        Apply_result r = Apply_result::applied;
        if ((type == "welcome" || type == "lobby") && remember_token && m.contains("token") && m["token"].is_string() &&
            m["token"] != token_saved) {
            token_saved = m["token"].get<std::string>();
            // The name given at the join, else the one in the room (a rejoin link has none).
            std::string name = hello_sent.name;
            if (name.empty() && type == "welcome" && m.contains("state") && m["state"].is_object()) {
                const json& people = m["state"].value("participants", json::object());
                const std::string you = m.value("you", "");
                if (people.contains(you)) name = people[you].value("name", "");
            }
            tokens.save(server->base(), code, token_saved, name);
        }
        if (type == "error" && token_remembered && m.value("code", "") == "unauthorized" && m.value("id", json()).is_null()) {
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
        if (type == "bye" && m.value("reason", "") == "removed") tokens.forget(server->base(), code);
        if (type == "welcome" || type == "patch") text_seen.add_json(m);  // the letters the fonts must draw
        if (type == "welcome") {
            // Any welcome resets the copy: the first one, after a reconnect, after the
            // lobby, and the fresh one every member gets when settings or roles change.
            std::string was = doc.role();
            r = doc.apply_welcome(m);
            if (r == Apply_result::applied && language_from_room && !doc.room_language().empty())
                set_language(doc.room_language());
            if (r == Apply_result::applied) {
                if (doc.is_facilitator() && face == Face::participant) {
                    face = Face::console;
                    if (was == "participant") notify(str("desk.role.now_facilitator"));
                }
                if (!doc.is_facilitator() && !doc.is_screen() && face == Face::console) {
                    face = Face::participant;
                    if (was == "facilitator") notify(str("desk.role.now_participant"));
                }
                if (doc.is_screen()) face = Face::projector;
            }
        } else if (type == "lobby") {
            doc.apply_lobby(m);
        } else if (type == "patch") {
            r = doc.apply_patch_message(m);
        } else if (type == "rejoin_code") {
            device_offer = parse_rejoin_offer(m);
        } else if (type == "ack" && m.contains("imported")) {
            notify(import_summary_text(str, m["imported"]));  // what an item.import brought
        } else if (type == "error") {
            std::string error_code = m.value("code", "");
            std::string key = error_code == "offline" ? "desk.error.offline" : "error." + error_code;
            notify(str(key), true);
        } else if (type == "bye") {
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

void App_state::start_export(const std::string& format, const std::string& path, std::optional<std::uint64_t> seq)
{
    if (!server || facilitator_key.empty() || exporting.busy() || exporting.confirm) return;
    exporting.path = path;
    exporting.format = format;
    exporting.seq = seq;
    exporting.message.clear();
    exporting.hits.clear();
    exporting.check_failed = false;
    std::string target = "/api/rooms/" + code + "/export/check" + (seq ? "?seq=" + std::to_string(*seq) : std::string());
    exporting.checking = std::async(std::launch::async, [s = *server, target, key = facilitator_key] {
        return http_get(s, target, key, std::chrono::seconds(30));
    });
}

void App_state::confirm_export()
{
    exporting.confirm = false;
    if (!server || facilitator_key.empty() || exporting.pending.valid()) return;
    std::string target = "/api/rooms/" + code + "/export?format=" + exporting.format;
    const char* names = export_name_policies[std::clamp(exporting.names, 0, 3)];
    if (*names) target += std::string("&names=") + names;
    if (exporting.seq) target += "&seq=" + std::to_string(*exporting.seq);
    target += "&language=" + str.lang();  // the notes in the desk user's language
    exporting.pending = std::async(std::launch::async, [s = *server, target, key = facilitator_key] {
        return http_get(s, target, key, std::chrono::seconds(30));
    });
}

void App_state::cancel_export()
{
    exporting.confirm = false;
    exporting.error = false;
    exporting.message = str("desk.export.cancelled");
}

void App_state::poll_export()
{
    auto ready = [](std::future<Http_response>& f) {
        return f.valid() && f.wait_for(std::chrono::seconds(0)) == std::future_status::ready;
    };
    if (ready(exporting.checking)) {
        Http_response r = exporting.checking.get();
        auto hits = r.ok() ? identity_code_hits(json::parse(r.body, nullptr, false)) : std::nullopt;
        if (hits && hits->empty()) {
            confirm_export();
        } else {
            // Something that looks like an identity code, or no answer we can read: ask.
            exporting.hits = hits.value_or(std::vector<Identity_code_hit>{});
            exporting.check_failed = !hits;
            exporting.confirm = true;
        }
    }
    if (!ready(exporting.pending)) return;
    Http_response r = exporting.pending.get();
    if (!r.ok()) {
        exporting.error = true;
        exporting.message = r.status == 0 ? std::string(str("desk.export.no_answer"))
                                          : std::string(str("desk.export.failed")) + " (" + r.error + ")";
        return;
    }
    std::ofstream out(exporting.path, std::ios::binary);
    out << r.body;
    out.close();
    exporting.error = !out;
    exporting.message = exporting.error ? str.format("desk.export.cannot_write", "path", exporting.path)
                                        : str.format("desk.export.saved", "path", exporting.path);
}

void App_state::save_access_log(const std::string& path)
{
    if (!server || facilitator_key.empty() || records.log.valid()) return;
    records.path = path;
    records.log = std::async(std::launch::async, [s = *server, target = "/api/rooms/" + code + "/access-log?format=csv",
                                                  key = facilitator_key] {
        return http_get(s, target, key, std::chrono::seconds(30));
    });
}

void App_state::delete_meeting()
{
    if (!server || facilitator_key.empty() || records.deleting.valid()) return;
    records.deleting = std::async(std::launch::async, [s = *server, target = "/api/rooms/" + code, key = facilitator_key] {
        return http_delete(s, target, key, std::chrono::seconds(30));
    });
}

void App_state::poll_records()
{
    auto ready = [](std::future<Http_response>& f) {
        return f.valid() && f.wait_for(std::chrono::seconds(0)) == std::future_status::ready;
    };
    if (ready(records.log)) {
        Http_response r = records.log.get();
        if (!r.ok()) {
            notify(str.format("desk.records.failed", "error", r.status == 0 ? std::string(str("desk.export.no_answer")) : r.error), true);
        } else {
            std::ofstream out(records.path, std::ios::binary);
            out << r.body;
            out.close();
            notify(out ? str.format("desk.records.access_log_saved", "path", records.path)
                       : str.format("desk.export.cannot_write", "path", records.path),
                   !out);
        }
    }
    if (ready(records.deleting)) {
        Http_response r = records.deleting.get();
        if (!r.ok())
            notify(str.format("desk.records.failed", "error", r.status == 0 ? std::string(str("desk.export.no_answer")) : r.error), true);
    }
}

void App_state::open_history()
{
    history.open = true;
    if (!server || facilitator_key.empty() || history.listing.valid()) return;
    history.error.clear();
    history.listing = std::async(std::launch::async, [s = *server, target = "/api/rooms/" + code + "/history",
                                                      key = facilitator_key] {
        return http_get(s, target, key, std::chrono::seconds(30));
    });
}

void App_state::load_history(std::uint64_t seq)
{
    history.wanted = seq;
    if (!server || facilitator_key.empty() || history.loading.valid()) return;  // asked again when this one lands
    history.loading = std::async(std::launch::async, [s = *server, target = "/api/rooms/" + code + "/history?seq=" + std::to_string(seq),
                                                      key = facilitator_key] {
        return http_get(s, target, key, std::chrono::seconds(30));
    });
}

void App_state::poll_history()
{
    auto ready = [](std::future<Http_response>& f) {
        return f.valid() && f.wait_for(std::chrono::seconds(0)) == std::future_status::ready;
    };
    if (ready(history.listing)) {
        Http_response r = history.listing.get();
        json answer = r.ok() ? json::parse(r.body, nullptr, false) : json();
        if (!answer.is_object()) {
            history.error = r.status == 0 ? std::string(str("desk.export.no_answer")) : std::string(str("desk.history.failed")) + " (" + r.error + ")";
        } else {
            history.ops = history_ops(answer);
            history.last_seq = answer.value("last_seq", std::uint64_t{0});
            history.index = static_cast<int>(history.ops.size());
            if (history_goto) {
                while (history.index > 0 && history.seq_at(history.index) > *history_goto) --history.index;
                history.viewing = true;
                history_goto.reset();
            }
            load_history(history.seq_at(history.index));
        }
    }
    if (ready(history.loading)) {
        Http_response r = history.loading.get();
        json answer = r.ok() ? json::parse(r.body, nullptr, false) : json();
        if (!answer.is_object() || !answer.contains("state")) {
            history.error = r.status == 0 ? std::string(str("desk.export.no_answer")) : std::string(str("desk.history.failed")) + " (" + r.error + ")";
            history.wanted.reset();
        } else {
            std::uint64_t seq = answer.value("seq", std::uint64_t{0});
            text_seen.add_json(answer["state"]);
            history.doc.apply_welcome({{"type", "welcome"}, {"you", doc.you()}, {"role", doc.role()}, {"seq", seq},
                                       {"state", answer["state"]}});
            history.loaded = seq;
            history.at = answer["at"].is_string() ? answer["at"].get<std::string>() : std::string();
            history.error.clear();
        }
        if (history.wanted && history.wanted != history.loaded) load_history(*history.wanted);
    }
}

std::string App_state::room_process() const
{
    const json& state = doc.state();
    if (!state.is_object() || !state.contains("room") || !state["room"].is_object()) return {};
    const json& room = state["room"];
    auto p = room.find("process");
    return p != room.end() && p->is_string() ? p->get<std::string>() : std::string();
}

void App_state::open_process()
{
    std::string id = room_process();
    if (!server || facilitator_key.empty() || id.empty() || process.fetching.valid()) return;
    if (id != process.id) {
        process = Process_state{};
        process.id = id;
    }
    process.error.clear();
    process.fetching = std::async(std::launch::async, [s = *server, target = "/api/processes/" + id, key = facilitator_key] {
        return http_get(s, target, key, std::chrono::seconds(30));
    });
}

void App_state::start_process_report(const std::string& format, const std::string& path)
{
    if (!server || facilitator_key.empty() || process.id.empty() || process.report.valid()) return;
    process.report_path = path;
    process.report_message.clear();
    std::string target = "/api/processes/" + process.id + "/report?format=" + format + "&language=" + str.lang();
    process.report = std::async(std::launch::async, [s = *server, target, key = facilitator_key] {
        return http_get(s, target, key, std::chrono::seconds(60));
    });
}

void App_state::choose_import_meeting(int index)
{
    process.from = index;
    process.boards.clear();
    if (index < 0 || index >= static_cast<int>(process.view.meetings.size())) return;
    for (const auto& [board, n] : process.view.meetings[static_cast<std::size_t>(index)].boards)
        process.boards[board] = board == "timeline" || board == "plan";
}

void App_state::import_from_meeting()
{
    if (process.from < 0 || process.from >= static_cast<int>(process.view.meetings.size())) return;
    json boards = json::array();
    for (const auto& [board, on] : process.boards)
        if (on) boards.push_back(board);
    if (boards.empty()) return;
    send("item.import", {{"from", process.view.meetings[static_cast<std::size_t>(process.from)].code}, {"boards", boards}});
    process.import_sent_at = doc.seq();
}

bool App_state::process_busy() const
{
    return process.fetching.valid() || process.report.valid() || (process.import_sent_at && *process.import_sent_at == doc.seq()) ||
           !import_from_option.empty();
}

void App_state::poll_process()
{
    auto ready = [](std::future<Http_response>& f) {
        return f.valid() && f.wait_for(std::chrono::seconds(0)) == std::future_status::ready;
    };
    if (process.import_sent_at && *process.import_sent_at != doc.seq()) {
        process.import_sent_at.reset();
        open_process();  // the counts now include what came in
    }
    if (ready(process.fetching)) {
        Http_response r = process.fetching.get();
        json answer = r.ok() ? json::parse(r.body, nullptr, false) : json();
        Process_view view = process_view(answer, str.lang());
        if (view.valid) text_seen.add_json(answer);  // the process's titles and team names
        process.missing = r.status == 404 || r.status == 403;
        if (!view.valid) {
            import_from_option.clear();
            process.error = r.status == 0 ? std::string(str("desk.export.no_answer"))
                                          : std::string(str("desk.process.failed")) + " (" + r.error + ")";
        } else {
            std::string chosen = process.from >= 0 && process.from < static_cast<int>(process.view.meetings.size())
                                     ? process.view.meetings[static_cast<std::size_t>(process.from)].code
                                     : std::string();
            process.view = std::move(view);
            process.from = -1;
            auto boards = process.boards;
            for (std::size_t i = 0; i < process.view.meetings.size(); ++i)
                if (!chosen.empty() && process.view.meetings[i].code == chosen) {
                    choose_import_meeting(static_cast<int>(i));
                    for (auto& [board, on] : process.boards)
                        if (boards.count(board)) on = boards[board];
                }
            if (!import_from_option.empty()) {
                // --import-from: what a facilitator would click in the panel, once.
                for (std::size_t i = 0; i < process.view.meetings.size(); ++i)
                    if (process.view.meetings[i].code == import_from_option) {
                        choose_import_meeting(static_cast<int>(i));
                        import_from_meeting();
                    }
                import_from_option.clear();
            }
        }
    }
    if (ready(process.report)) {
        Http_response r = process.report.get();
        if (!r.ok()) {
            process.report_error = true;
            process.report_message = r.status == 0 ? std::string(str("desk.export.no_answer"))
                                                   : std::string(str("desk.export.failed")) + " (" + r.error + ")";
        } else {
            std::ofstream out(process.report_path, std::ios::binary);
            out << r.body;
            out.close();
            process.report_error = !out;
            process.report_message = process.report_error ? str.format("desk.export.cannot_write", "path", process.report_path)
                                                          : str.format("desk.export.saved", "path", process.report_path);
        }
    }
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

json synthetic_state(int items, std::int64_t now)
{
    const char* sectors[] = {"Lastensuojelu", "Koulu", "Varhaiskasvatus", "Nuorisopsykiatria", "Päihdepalvelut",
                             "Perheneuvola"};
    const char* texts[] = {
        "Ensimmäinen yhteinen palaveri koulun ja lastensuojelun kesken",
        "Huoli-ilmoitus koululta; kotikäynti sovittiin viikon sisään",
        "Nuori ohjattiin nuorisopsykiatrian poliklinikalle, jonotusaika kolme kuukautta",
        "Perhetyö alkoi, työntekijä vaihtui kahdesti syksyn aikana",
        "Verkostopalaveri, jossa nuori itse oli mukana ensimmäistä kertaa",
        "Kokemusasiantuntija kertoi, miltä siirtymät palvelusta toiseen tuntuivat",
        "Päihdepalveluiden ja koulun yhteinen tapaaminen, sovittiin yhteyshenkilö",
        "Sijaishuollon suunnitelma päivitettiin yhdessä perheen kanssa",
    };
    json state = {
        {"room",
         {{"code", "K7Q4MX"}, {"title", "Kehittämisen tiimi, Kanta-Häme"}, {"language", "fi"},
          {"template", "default"}, {"process", nullptr}, {"status", "open"}, {"locked", false},
          {"created_at", "2026-11-23T09:00:00Z"}}},
        {"phases",
         json::array({{{"id", "opening"}, {"kind", "opening"}, {"title", "Aloitus"},
                       {"question", "Mitä toivot tältä tapaamiselta?"}, {"board", nullptr}, {"timebox_s", 600},
                       {"turn_mode", "round"}},
                      {{"id", "timeline"}, {"kind", "timeline"}, {"title", "Yhdessä tekemisen aikajana"},
                       {"question", "Miten olemme tähän asti toimineet yhdessä? Mitä tapahtui ja milloin?"},
                       {"board", "timeline"}, {"timebox_s", 1200}, {"turn_mode", "none"}},
                      {{"id", "vision"}, {"kind", "vision"}, {"title", "Visio, estävät ja mahdollistavat tekijät"},
                       {"question", "Millaista yhteistyö on, kun se toimii hyvin?"}, {"board", "vision"},
                       {"timebox_s", 1500}, {"turn_mode", "none"}},
                      {{"id", "plan"}, {"kind", "plan"}, {"title", "Yhteinen suunnitelma"},
                       {"question", "Kuka tekee mitä, kenen kanssa ja mihin mennessä?"}, {"board", "plan"},
                       {"timebox_s", 1500}, {"turn_mode", "none"}}})},
        {"phase", "timeline"},
        {"participants", json::object()},
        {"boards",
         {{"timeline", {{"items", json::object()}}},
          {"vision", {{"items", json::object()}}},
          {"plan", {{"items", json::object()}}},
          {"reflections", {{"items", json::object()}}}}},
        {"turns", {{"mode", "none"}}},
        {"timer", {{"state", "running"}, {"duration_s", 1200}, {"ends_at_ms", now + 754000}}},
    };
    const char* names[] = {"Maija", "Jussi", "Aino", "Pekka", "Sanna", "Leena", "Mikko", "Åsa", "Tuomas", "Eeva"};
    const char* groups[] = {"professional", "leader", "expert", "professional", "other"};
    for (int i = 0; i < 10; ++i) {
        std::string pid = "p" + std::to_string(i + 1);
        state["participants"][pid] = {{"name", names[i]}, {"role", i == 0 ? "facilitator" : "participant"},
                                      {"group", groups[i % 5]}, {"online", i != 6}, {"hand", i % 4 == 2},
                                      {"hand_at", i % 4 == 2 ? json(now - 1000 * (10 - i)) : json(nullptr)},
                                      {"removed", false}};
    }
    auto& timeline = state["boards"]["timeline"]["items"];
    for (int i = 0; i < items; ++i) {
        std::string id = "i" + std::to_string(i + 1);
        char when[16];
        std::snprintf(when, sizeof when, "%04d-%02d", 2019 + (i * 7 % 6), 1 + (i * 5 % 12));
        timeline[id] = {{"id", id},
                        {"column", "event"},
                        {"text", texts[i % 8]},
                        {"author", "p" + std::to_string(1 + i % 10)},
                        {"created_at", "2026-11-23T09:00:00Z"},
                        {"order", static_cast<double>(i + 1)},
                        {"votes", i % 5},
                        {"voters", json::array()},
                        {"hidden", false},
                        {"when", i % 9 == 4 ? std::string("syksyllä") : std::string(when)},
                        {"sector", sectors[i % 6]}};
    }
    return state;
}

}  // namespace keha::desk
