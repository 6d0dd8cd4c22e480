#include "bench_driver.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <numeric>
#include <string>

#include "app_state.hpp"
#include "image.hpp"

namespace keha::desk {

void Bench_driver::Frame_stats::print(const char* what) const
{
    if (ms.empty()) return;
    std::vector<double> s = ms;
    std::sort(s.begin(), s.end());
    double mean = std::accumulate(s.begin(), s.end(), 0.0) / static_cast<double>(s.size());
    auto pct = [&](double p) { return s[std::min(s.size() - 1, static_cast<std::size_t>(p * s.size()))]; };
    std::printf("%-34s frames %5zu  mean %6.3f ms  p50 %6.3f  p95 %6.3f  p99 %6.3f  max %6.3f\n", what, s.size(),
                mean, pct(0.5), pct(0.95), pct(0.99), s.back());
}

void Bench_driver::seed(App_state& app) const
{
    app.bench = true;
    app.face = Face::projector;
    app.server = parse_server_url("http://keha.example.fi");
    app.code = "K7Q4MX";
    std::int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                           std::chrono::system_clock::now().time_since_epoch())
                           .count();
    json welcome = {{"type", "welcome"}, {"you", "p99"}, {"role", "screen"}, {"seq", 1},
                    {"state", synthetic_state(options_.bench_items, now)}};
    app.text_seen.add_json(welcome);
    app.doc.apply_welcome(welcome);
}

void Bench_driver::before_frame(App_state& app)
{
    change_ = frame_ >= options_.bench_frames;
    if (!change_) return;
    std::string id = "x" + std::to_string(frame_);
    app.doc.apply_patch_message(
        {{"seq", app.doc.seq() + 1},
         {"patch", json::array({{{"op", "add"},
                                 {"path", "/boards/timeline/items/" + id},
                                 {"value",
                                  {{"id", id}, {"column", "event"}, {"text", "Uusi merkintä aikajanalle"},
                                   {"author", "p2"}, {"created_at", "2026-11-23T10:00:00Z"},
                                   {"order", 5000.0 + frame_}, {"votes", 0}, {"hidden", false},
                                   {"when", "2022-05"}, {"sector", "Koulu"}}}}})}});
}

std::optional<int> Bench_driver::after_frame(double cpu_start, double cpu_built, double cpu_end, int width,
                                             int height, const std::function<bool()>& screenshot)
{
    if (frame_ >= 5) {  // after warm-up
        (change_ ? changed_ : steady_).ms.push_back(cpu_end - cpu_start);
        (change_ ? changed_build_ : steady_build_).ms.push_back(cpu_built - cpu_start);
    }
    ++frame_;
    if (frame_ < options_.bench_frames + std::max(10, options_.bench_frames / 4)) return std::nullopt;
    std::printf("keha-desk projector frame, %d items on the current board (+1 per re-layout frame), "
                "%dx%d, CPU time of the UI thread (build + draw-call submission, no swap):\n",
                options_.bench_items, width, height);
    steady_.print("  steady frames (layout cached)");
    steady_build_.print("    of which building the frame");
    changed_.print("  a patch every frame (re-layout)");
    changed_build_.print("    of which building the frame");
    std::printf("  (the rest is handing the draw lists to OpenGL; with Mesa's software renderer\n"
                "   that includes vertex work a GPU driver does not do on this thread)\n");
    return !options_.screenshot.empty() && !screenshot() ? 1 : 0;
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
