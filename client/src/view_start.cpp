#include "view_start.hpp"

#include "resume_tokens.hpp"

#include <imgui_stdlib.h>

#include "keha/code.hpp"
#include "keha/state.hpp"
#include "keha/templates.hpp"
#include "resume_tokens.hpp"
#include "template_choice.hpp"
#include "theme.hpp"
#include "widgets.hpp"

namespace keha::desk {
namespace {

const char* languages[] = {"fi", "sv", "en"};
const auto& groups = keha::participant_groups;

void label(App_state& app, const char* key)
{
    ImGui::PushStyleColor(ImGuiCol_Text, theme::vec(theme::muted));
    ImGui::TextUnformatted(app.str(key));
    ImGui::PopStyleColor();
}

}  // namespace

void View_start::place(const App_state& app, ImVec2 display, ImVec2& pos, ImVec2& size) const
{
    float s = app.fonts.scale;
    size = ImVec2(std::min(display.x - 40 * s, 640 * s), std::min(display.y - 40 * s, 620 * s));
    pos = ImVec2((display.x - size.x) * 0.5f, (display.y - size.y) * 0.5f);
}

void View_start::content(App_state& app)
{
    if (!seeded_) {
        // Without --room, the start screen is filled in from --server and --lang.
        seeded_ = true;
        const Options& o = app.options;
        if (o.room.empty() && !o.server.empty()) form_.server = o.server;
        if (o.room.empty() && !o.lang.empty()) form_.language = o.lang == "sv" ? 1 : o.lang == "en" ? 2 : 0;
    }
    ImGui::PushFont(app.fonts.code);
    ImGui::PushStyleColor(ImGuiCol_Text, theme::vec(theme::accent));
    ImGui::TextUnformatted(app.str("app.name"));
    ImGui::PopStyleColor();
    ImGui::PopFont();
    label(app, "desk.start.tagline");
    ImGui::Spacing();

    label(app, "desk.start.server");
    ImGui::SetNextItemWidth(-1);
    ImGui::InputText("##server", &form_.server);
    auto server = parse_server_url(form_.server);
    if (server) server->ca_file = app.ca_file;
    if (!server) {
        ImGui::PushStyleColor(ImGuiCol_Text, theme::vec(theme::danger));
        ImGui::TextUnformatted(app.str("desk.start.bad_server"));
        ImGui::PopStyleColor();
    }
    ImGui::Spacing();

    if (ImGui::BeginTabBar("##start")) {
        if (ImGui::BeginTabItem(app.str("desk.start.new"))) {
            new_meeting(app, server ? &*server : nullptr);
            ImGui::EndTabItem();
        }
        if (ImGui::BeginTabItem(app.str("desk.start.join"))) {
            join(app, server ? &*server : nullptr);
            ImGui::EndTabItem();
        }
        if (ImGui::BeginTabItem(app.str("desk.start.projector"))) {
            projector(app, server ? &*server : nullptr);
            ImGui::EndTabItem();
        }
        ImGui::EndTabBar();
    }
    if (!form_.error.empty()) {
        ImGui::Spacing();
        ImGui::PushStyleColor(ImGuiCol_Text, theme::vec(theme::danger));
        ImGui::TextWrapped("%s", form_.error.c_str());
        ImGui::PopStyleColor();
    }
}

void View_start::new_meeting(App_state& app, const Server_url* server)
{
    Start_form& f = form_;
    // The templates of this server, asked once per address, in the background.
    if (server && f.templates_for != server->base() && !f.templates.busy()) {
        f.templates_for = server->base();
        f.templates.start([client = Api_client(*server, {})] { return client.templates(); });
    }
    if (auto list = f.templates.take()) {
        f.template_list = list->value.value_or(json::array());
        f.template_index = static_cast<int>(default_template_index(f.template_list));
    }

    label(app, "desk.start.title");
    ImGui::SetNextItemWidth(-1);
    // Enter in the title creates the meeting (the keyboard's way to the button below).
    bool entered = ImGui::InputTextWithHint("##title", app.str("desk.start.title_hint"), &f.title,
                                            ImGuiInputTextFlags_EnterReturnsTrue);
    label(app, "desk.start.template");
    ImGui::SetNextItemWidth(-1);
    auto template_title = [&](const json& t) {
        const json& title = t.value("title", json());
        return title.is_object() ? keha::localized(title, app.str.lang())
                                 : title.is_string() ? title.get<std::string>() : t.value("id", "");
    };
    std::string current = f.template_list.empty() ? std::string(app.str("desk.start.template_default"))
                                                   : template_title(f.template_list[static_cast<std::size_t>(
                                                         std::min<int>(f.template_index, f.template_list.size() - 1))]);
    if (ImGui::BeginCombo("##template", current.c_str())) {
        for (std::size_t i = 0; i < f.template_list.size(); ++i)
            if (ImGui::Selectable(template_title(f.template_list[i]).c_str(), static_cast<int>(i) == f.template_index))
                f.template_index = static_cast<int>(i);
        ImGui::EndCombo();
    }
    label(app, "desk.start.language");
    for (int i = 0; i < 3; ++i) {
        ImGui::RadioButton(app.str(std::string("desk.lang.") + languages[i]), &f.language, i);
        ImGui::SameLine();
    }
    ImGui::NewLine();
    if (f.organizer_key_asked) {
        label(app, "desk.start.organizer_key");
        ImGui::SetNextItemWidth(-1);
        entered |= ImGui::InputText("##organizer_key", &f.organizer_key, ImGuiInputTextFlags_Password | ImGuiInputTextFlags_EnterReturnsTrue);
    }
    ImGui::Spacing();
    bool busy = f.creating.busy();
    bool can = server && !busy && !f.title.empty();
    ImGui::BeginDisabled(!can);
    if (ImGui::Button(app.str("desk.start.create"), ImVec2(-1, 0)) || (entered && can)) {
        std::string template_id = f.template_list.empty() ? std::string()
                                                          : f.template_list[static_cast<std::size_t>(f.template_index)]
                                                                .value("id", "");
        f.error.clear();
        f.creating.start([client = Api_client(*server, f.organizer_key), title = f.title, template_id,
                          lang = std::string(languages[f.language])] {
            return client.create_room(title, template_id, lang);
        });
    }
    ImGui::EndDisabled();
    if (busy) empty_state(app.str("desk.start.creating"));
    if (auto r = f.creating.take()) {
        if (r->status == 401 || r->status == 403) {
            f.organizer_key_asked = true;
            f.error = app.str(r->status == 401 ? "desk.start.organizer_key_needed" : "desk.start.organizer_key_wrong");
        } else if (!r->ok()) {
            f.error = r->status == 0 ? app.str.format("desk.start.no_server", "server", server ? server->base() : "")
                                     : std::string(app.str("desk.start.create_failed")) + " (" + r->error + ")";
        } else {
            app.screen_key = r->value->screen_key;
            app.enter_room(*server, r->value->code, Hello{{}, {}, {}, r->value->facilitator_key, {}}, Face::console);
        }
    }
}

void View_start::join(App_state& app, const Server_url* server)
{
    Start_form& f = form_;
    label(app, "desk.start.code");
    ImGui::SetNextItemWidth(-1);
    ImGui::InputTextWithHint("##code", "K7Q4-MXP2", &f.code, ImGuiInputTextFlags_CharsUppercase);
    label(app, "desk.start.name");
    ImGui::SetNextItemWidth(-1);
    bool entered = ImGui::InputText("##name", &f.name, ImGuiInputTextFlags_EnterReturnsTrue);  // Enter joins
    label(app, "desk.start.group");
    for (int i = 0; i < 4; ++i) {
        ImGui::RadioButton(app.group_label(groups[i]).c_str(), &f.group, i);
        if (i != 3) ImGui::SameLine();
    }
    label(app, "desk.start.facilitator_key");
    ImGui::SetNextItemWidth(-1);
    entered |= ImGui::InputText("##fkey", &f.facilitator_key, ImGuiInputTextFlags_Password | ImGuiInputTextFlags_EnterReturnsTrue);
    // Carrying on from another device as the same person: the link shown on their own screen.
    label(app, "desk.start.rejoin_link");
    ImGui::SetNextItemWidth(-1);
    ImGui::InputTextWithHint("##rejoin", app.str("desk.start.rejoin_link_hint"), &f.rejoin_link,
                             ImGuiInputTextFlags_Password);
    ImGui::Spacing();
    auto link = parse_rejoin_link(f.rejoin_link);
    auto rejoin_code = link ? std::nullopt : parse_rejoin_code(f.rejoin_link);
    auto code = link ? std::optional(link->code) : keha::normalize_code(f.code);
    const bool rejoining = link || rejoin_code;
    bool can = server && code && (!f.name.empty() || !f.facilitator_key.empty() || rejoining);
    ImGui::BeginDisabled(!can);
    if (ImGui::Button(app.str("desk.start.join_button"), ImVec2(-1, 0)) || (entered && can)) {
        // Rejoining is as the person the link or code names: no name, no key, no remembered token.
        Hello hello{{}, rejoining ? "" : f.name, rejoining ? "" : groups[f.group], rejoining ? "" : f.facilitator_key,
                    link ? link->token : ""};
        if (rejoin_code) hello.rejoin = *rejoin_code;
        app.enter_room(*server, *code, hello, hello.key.empty() ? Face::participant : Face::console);
    }
    ImGui::EndDisabled();
    if (!f.rejoin_link.empty() && !rejoining) empty_state(app.str("desk.start.bad_rejoin_link"));
    else if (!f.code.empty() && !code) empty_state(app.str("desk.start.bad_code"));
}

void View_start::projector(App_state& app, const Server_url* server)
{
    Start_form& f = form_;
    label(app, "desk.start.code");
    ImGui::SetNextItemWidth(-1);
    ImGui::InputTextWithHint("##pcode", "K7Q4-MXP2", &f.code, ImGuiInputTextFlags_CharsUppercase);
    label(app, "desk.start.screen_key");
    ImGui::SetNextItemWidth(-1);
    bool entered = ImGui::InputText("##skey", &f.screen_key, ImGuiInputTextFlags_Password | ImGuiInputTextFlags_EnterReturnsTrue);
    ImGui::Checkbox(app.str("desk.hide_names"), &app.hide_names);
    auto code = keha::normalize_code(f.code);
    bool can = server && code && !f.screen_key.empty();
    ImGui::BeginDisabled(!can);
    if (ImGui::Button(app.str("desk.start.open_projector"), ImVec2(-1, 0)) || (entered && can)) {
        app.enter_room(*server, *code, Hello{{}, {}, {}, f.screen_key, {}}, Face::projector);
        app.request_fullscreen = true;
    }
    ImGui::EndDisabled();
}

}  // namespace keha::desk
