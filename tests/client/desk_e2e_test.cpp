// End to end: keha-server, and keha-desk on a virtual X server (Xvfb, Mesa's software
// OpenGL). The projector's screenshot is not blank, and changes when items arrive
// through the protocol; the console and participant views render too.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <functional>
#include <fstream>
#include <iterator>
#include <set>
#include <stb/stb_image.h>  // implemented in Debian's libstb
#include <thread>

#include "support/meeting.hpp"
#include "support/stored_log.hpp"

extern char** environ;

namespace fs = std::filesystem;
using namespace keha::itest;

namespace {

std::string find_program(const std::string& name)
{
    const char* path = std::getenv("PATH");
    std::string dirs = path ? path : "/usr/bin:/bin";
    std::size_t start = 0;
    while (start <= dirs.size()) {
        std::size_t end = dirs.find(':', start);
        if (end == std::string::npos) end = dirs.size();
        fs::path candidate = fs::path(dirs.substr(start, end - start)) / name;
        if (::access(candidate.c_str(), X_OK) == 0) return candidate.string();
        start = end + 1;
    }
    return {};
}

pid_t spawn(const std::vector<std::string>& args, const std::vector<std::string>& env_extra,
            posix_spawn_file_actions_t* actions = nullptr)
{
    std::vector<std::string> env;
    for (char** e = environ; *e; ++e) env.emplace_back(*e);
    for (const auto& e : env_extra) env.push_back(e);
    std::vector<char*> argv, envp;
    for (auto& a : const_cast<std::vector<std::string>&>(args)) argv.push_back(a.data());
    argv.push_back(nullptr);
    for (auto& e : env) envp.push_back(e.data());
    envp.push_back(nullptr);
    pid_t pid = -1;
    if (posix_spawn(&pid, argv[0], actions, nullptr, argv.data(), envp.data()) != 0) return -1;
    return pid;
}

// Waits for a child; its exit code, or -1 after killing it on timeout.
int wait_for(pid_t pid, std::chrono::seconds timeout)
{
    auto end = std::chrono::steady_clock::now() + timeout;
    int status = 0;
    while (std::chrono::steady_clock::now() < end) {
        pid_t r = waitpid(pid, &status, WNOHANG);
        if (r == pid) return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    return -1;
}

// Xvfb on a display it picks itself (-displayfd), so parallel tests never collide.
class Virtual_display {
public:
    Virtual_display()
    {
        std::string xvfb = find_program("Xvfb");
        if (xvfb.empty()) return;
        int fds[2];
        if (pipe(fds) != 0) return;
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_addclose(&actions, fds[0]);
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
        pid_ = spawn({xvfb, "-displayfd", std::to_string(fds[1]), "-screen", "0", "1920x1080x24", "-nolisten", "tcp",
                      "-noreset"},
                     {}, &actions);
        posix_spawn_file_actions_destroy(&actions);
        close(fds[1]);
        std::string number;
        char c;
        // Xvfb writes the display number once it accepts connections.
        fcntl(fds[0], F_SETFL, O_NONBLOCK);
        auto end = std::chrono::steady_clock::now() + std::chrono::seconds(20);
        while (std::chrono::steady_clock::now() < end) {
            ssize_t n = read(fds[0], &c, 1);
            if (n == 1) {
                if (c == '\n') break;
                number += c;
            } else if (n == 0) {
                break;
            } else {
                std::this_thread::sleep_for(std::chrono::milliseconds(10));
            }
        }
        close(fds[0]);
        if (!number.empty()) display_ = ":" + number;
    }
    ~Virtual_display()
    {
        if (pid_ > 0) {
            kill(pid_, SIGTERM);
            if (wait_for(pid_, std::chrono::seconds(5)) < 0) kill(pid_, SIGKILL);
        }
    }
    const std::string& display() const { return display_; }

private:
    pid_t pid_ = -1;
    std::string display_;
};

struct Picture {
    int width = 0, height = 0;
    std::vector<unsigned char> rgb;
    unsigned char at(int x, int y, int c) const { return rgb[(static_cast<std::size_t>(y) * width + x) * 3 + c]; }
};

Picture load(const fs::path& path)
{
    Picture p;
    int channels = 0;
    unsigned char* data = stbi_load(path.c_str(), &p.width, &p.height, &channels, 3);
    if (!data) return p;
    p.rgb.assign(data, data + static_cast<std::size_t>(p.width) * p.height * 3);
    stbi_image_free(data);
    return p;
}

// Share of pixels that are not the most common colour (the background).
double ink_share(const Picture& p)
{
    std::map<std::uint32_t, std::size_t> counts;
    for (std::size_t i = 0; i + 2 < p.rgb.size(); i += 3)
        ++counts[(std::uint32_t(p.rgb[i]) << 16) | (std::uint32_t(p.rgb[i + 1]) << 8) | p.rgb[i + 2]];
    std::size_t top = 0;
    for (auto& [colour, n] : counts) top = std::max(top, n);
    std::size_t total = p.rgb.size() / 3;
    return total ? 1.0 - static_cast<double>(top) / static_cast<double>(total) : 0;
}

double changed_share(const Picture& a, const Picture& b)
{
    if (a.width != b.width || a.height != b.height) return 1;
    std::size_t changed = 0;
    for (std::size_t i = 0; i + 2 < a.rgb.size(); i += 3)
        if (a.rgb[i] != b.rgb[i] || a.rgb[i + 1] != b.rgb[i + 1] || a.rgb[i + 2] != b.rgb[i + 2]) ++changed;
    return static_cast<double>(changed) / static_cast<double>(a.rgb.size() / 3);
}

// Pixels within a few levels of one colour (text is antialiased; its cores are exact).
std::size_t pixels_of(const Picture& p, unsigned char r, unsigned char g, unsigned char b)
{
    std::size_t n = 0;
    auto near = [](unsigned char x, unsigned char y) { return std::abs(int(x) - int(y)) <= 4; };
    for (std::size_t i = 0; i + 2 < p.rgb.size(); i += 3)
        n += near(p.rgb[i], r) && near(p.rgb[i + 1], g) && near(p.rgb[i + 2], b);
    return n;
}

// A rectangle of a picture (clamped to it).
Picture crop(const Picture& p, int x, int y, int w, int h)
{
    Picture out;
    x = std::clamp(x, 0, p.width);
    y = std::clamp(y, 0, p.height);
    out.width = std::min(w, p.width - x);
    out.height = std::min(h, p.height - y);
    for (int row = y; row < y + out.height; ++row)
        for (int col = x; col < x + out.width; ++col)
            for (int c = 0; c < 3; ++c) out.rgb.push_back(p.at(col, row, c));
    return out;
}

class DeskE2E : public testing::Test {
protected:
    static void SetUpTestSuite() { display_ = std::make_unique<Virtual_display>(); }
    static void TearDownTestSuite() { display_.reset(); }

    void SetUp() override
    {
        // make test installs Xvfb; without it this check would silently prove nothing.
        if (display_->display().empty()) FAIL() << "Xvfb is not installed (apt-get install xvfb)";
        if (const char* keep = std::getenv("KEHA_DESK_SCREENSHOTS")) out_ = keep;
        else out_ = dir_.path();
        fs::create_directories(out_);
        server_ = std::make_unique<Server_process>(dir_.path() / "e2e.db");
        keys_ = create_room(server_->port(), {{"title", "Kehittämisen tiimi, Kanta-Häme"}, {"language", "fi"}});
        url_ = "http://127.0.0.1:" + std::to_string(server_->port());
    }

    // Runs keha-desk to a screenshot; its exit code.
    int desk(std::vector<std::string> args, const fs::path& png, const std::vector<std::string>& env = {})
    {
        args.insert(args.begin(), KEHA_DESK_BIN);
        for (std::string a : {"--server", url_.c_str(), "--room", keys_.code.c_str(), "--frames", "8", "--screenshot"})
            args.push_back(a);
        args.push_back(png.string());
        // Remembered resume tokens go to the test's own folder, never to the user's.
        std::vector<std::string> environment = {"DISPLAY=" + display_->display(), "LIBGL_ALWAYS_SOFTWARE=1",
                                                "KEHA_ASSETS=" KEHA_TEST_ASSETS,
                                                "XDG_STATE_HOME=" + (dir_.path() / "state").string()};
        for (const auto& e : env) environment.push_back(e);
        pid_t pid = spawn(args, environment);
        if (pid < 0) return -2;
        return wait_for(pid, std::chrono::seconds(60));
    }

    // A MONNI process and its first two meetings: the professionals' and the leaders'.
    struct Process_meetings {
        std::string id, key;
        Room_keys first, second;
    };
    Process_meetings two_meetings_of_a_process()
    {
        auto created = http_request(server_->port(), "POST", "/api/processes",
                                    json{{"title", "MONNI Kanta-Häme"}, {"teams", {"Ammattilaiset", "Johtajat"}}}.dump());
        if (created.status != 201) {
            ADD_FAILURE() << "the process was not created: " << created.body;
            return {};
        }
        const std::string process = created.json_body()["id"], process_key = created.json_body()["key"];
        auto meeting = [&](const char* title, const char* team) {
            return create_room(server_->port(), {{"title", title}, {"process", process}, {"process_key", process_key},
                                                 {"team", team}, {"language", "fi"}});
        };
        return {process, process_key, meeting("Ammattilaisten tiimi 1", "Ammattilaiset"), meeting("Johtajien tiimi 1", "Johtajat")};
    }

    static std::unique_ptr<Virtual_display> display_;
    Temp_dir dir_;
    fs::path out_;
    std::unique_ptr<Server_process> server_;
    Room_keys keys_;
    std::string url_;
};

std::unique_ptr<Virtual_display> DeskE2E::display_;

}  // namespace

TEST_F(DeskE2E, ProjectorShowsTheRoomAndChangesWhenItemsArrive)
{
    fs::path before = out_ / "desk-projector-before.png", after = out_ / "desk-projector.png";
    std::vector<std::string> screen = {"KEHA_SCREEN_KEY=" + keys_.screen_key};
    ASSERT_EQ(desk({"--projector", "--size", "1920x1080"}, before, screen), 0);
    Picture a = load(before);
    ASSERT_EQ(a.width, 1920);
    ASSERT_EQ(a.height, 1080);
    EXPECT_GT(ink_share(a), 0.01) << "the projector is blank";

    // The facilitator moves to the timeline; two people add events and one raises a hand.
    Member facilitator(server_->port(), keys_.code, with_key(keys_.facilitator_key));
    facilitator.ok("phase.goto", {{"phase", "timeline"}});
    facilitator.ok("timer.start", {{"duration_s", 1200}});
    Member maija(server_->port(), keys_.code, as_participant("Maija", "professional"));
    Member aino(server_->port(), keys_.code, as_participant("Aino", "expert"));
    maija.ok("item.add", {{"board", "timeline"}, {"column", "event"}, {"text", "Ensimmäinen verkostopalaveri koululla"},
                          {"when", "2021-09"}, {"sector", "Koulu"}});
    aino.ok("item.add", {{"board", "timeline"}, {"column", "event"},
                         {"text", "Sain vihdoin oman työntekijän, joka pysyi samana"}, {"when", "2022-03"},
                         {"sector", "Lastensuojelu"}});
    maija.ok("item.add", {{"board", "timeline"}, {"column", "event"}, {"text", "Perhetyö alkoi"}, {"when", "2020"},
                          {"sector", "Perhepalvelut"}});
    aino.ok("item.add", {{"board", "timeline"}, {"column", "event"}, {"text", "Oma muistiinpano"}, {"hidden", true}});
    aino.ok("hand.raise");

    ASSERT_EQ(desk({"--projector", "--size", "1920x1080"}, after, screen), 0);
    Picture b = load(after);
    EXPECT_GT(ink_share(b), ink_share(a)) << "items should add ink";
    EXPECT_GT(changed_share(a, b), 0.02) << "the projector did not change";
}

// The start screen, before any room: the product's name in its own letters ("Kehä", not
// "Keh?": the big font has the catalogs' characters), the new-meeting form.
TEST_F(DeskE2E, TheStartScreenRenders)
{
    fs::path png = out_ / "desk-start.png", err = dir_.path() / "start-stderr.txt";
    std::vector<std::string> args = {KEHA_DESK_BIN, "--frames", "8", "--size", "1280x800",
                                     "--screenshot", png.string()};
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    pid_t pid = spawn(args, {"DISPLAY=" + display_->display(), "LIBGL_ALWAYS_SOFTWARE=1", "KEHA_ASSETS=" KEHA_TEST_ASSETS},
                      &actions);
    posix_spawn_file_actions_destroy(&actions);
    ASSERT_GT(pid, 0);
    ASSERT_EQ(wait_for(pid, std::chrono::seconds(60)), 0);
    Picture p = load(png);
    ASSERT_EQ(p.width, 1280);
    EXPECT_GT(ink_share(p), 0.02);
    // Every text font can draw every character of the catalogs and templates (keha-desk
    // says on stderr when one cannot: the big name's font once had only digits and capitals).
    std::ifstream in(err);
    std::string said{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    EXPECT_EQ(said.find("no glyph"), std::string::npos) << said;
}

TEST_F(DeskE2E, ConsoleAndParticipantViewsRender)
{
    Member facilitator(server_->port(), keys_.code, with_key(keys_.facilitator_key));
    facilitator.ok("phase.goto", {{"phase", "vision"}});
    Member maija(server_->port(), keys_.code, as_participant("Maija", "professional"));
    maija.ok("item.add", {{"board", "vision"}, {"column", "vision"}, {"text", "Nuori tietää, kuka hänen asiaansa hoitaa"}});
    maija.ok("item.add", {{"board", "vision"}, {"column", "hinders"}, {"text", "Työntekijät vaihtuvat usein"}});
    maija.ok("item.add", {{"board", "vision"}, {"column", "enables"}, {"text", "Yhteinen verkostopalaveri kerran kuussa"}});
    maija.ok("hand.raise");

    fs::path console = out_ / "desk-console.png", participant = out_ / "desk-participant.png";
    ASSERT_EQ(desk({"--size", "1440x900"}, console,
                   {"KEHA_FACILITATOR_KEY=" + keys_.facilitator_key, "KEHA_SCREEN_KEY=" + keys_.screen_key}),
              0);
    Picture c = load(console);
    ASSERT_EQ(c.width, 1440);
    EXPECT_GT(ink_share(c), 0.05);

    ASSERT_EQ(desk({"--size", "1280x800", "--name", "Aino", "--group", "expert"}, participant), 0);
    Picture p = load(participant);
    ASSERT_EQ(p.width, 1280);
    EXPECT_GT(ink_share(p), 0.05);
    EXPECT_GT(changed_share(c, p), 0.02);
}

// Grouping and a vote sorted for the discussion (docs/protocol.md §8.5 "Grouping and voting"):
// while the vote runs the console and the wall show no counts; after it, the wall shows the
// group's title over its cards and the board sorted by votes.
TEST_F(DeskE2E, GroupsAndAVoteSortedOnTheWall)
{
    Member facilitator(server_->port(), keys_.code, with_key(keys_.facilitator_key));
    Member maija(server_->port(), keys_.code, as_participant("Maija", "professional"));
    Member aino(server_->port(), keys_.code, as_participant("Aino", "expert"));
    facilitator.ok("phase.goto", {{"phase", "vision"}});
    auto add = [&](Member& who, const char* text) {
        return "i" + std::to_string(who.ok("item.add", {{"board", "vision"}, {"column", "hinders"}, {"text", text}}));
    };
    const std::string kiire = add(maija, "Kiire"), tieto = add(aino, "Tieto ei kulje");
    const std::string aikaa = add(maija, "Ei aikaa tavata"), lounas = add(aino, "Yhteinen lounas puuttuu");
    const auto grouped = facilitator.ok("item.group", {{"board", "vision"}, {"id", aikaa}, {"onto", kiire}, {"title", "Aika"}});
    const std::string gid = "g" + std::to_string(grouped);
    facilitator.ok("vote.start", {{"board", "vision"}, {"limit", 2}, {"duration_s", 600}});
    maija.ok("item.vote", {{"board", "vision"}, {"id", tieto}});
    aino.ok("item.vote", {{"board", "vision"}, {"id", tieto}});
    aino.ok("item.vote", {{"board", "vision"}, {"group", gid}});
    facilitator.ok("item.vote", {{"board", "vision"}, {"id", lounas}});

    std::vector<std::string> keys = {"KEHA_FACILITATOR_KEY=" + keys_.facilitator_key, "KEHA_SCREEN_KEY=" + keys_.screen_key};
    std::vector<std::string> screen = {"KEHA_SCREEN_KEY=" + keys_.screen_key};
    fs::path running = out_ / "desk-console-voting.png", wall_running = out_ / "desk-projector-voting.png";
    ASSERT_EQ(desk({"--size", "1440x900"}, running, keys), 0);
    ASSERT_EQ(desk({"--projector", "--size", "1920x1080"}, wall_running, screen), 0);
    EXPECT_GT(ink_share(load(running)), 0.05);
    // The wall's voting line (theme::signal_soft), as the browser's wall shows it.
    EXPECT_GT(pixels_of(load(wall_running), 0xFA, 0xEB, 0xCF), 20000u) << "no voting line on the wall while the vote runs";

    facilitator.ok("vote.end");
    facilitator.ok("board.sort", {{"board", "vision"}, {"by", "votes"}});
    EXPECT_EQ(item_of(facilitator.state, "vision", tieto)["votes"], 2);
    fs::path sorted = out_ / "desk-projector-sorted.png", console = out_ / "desk-console-sorted.png";
    ASSERT_EQ(desk({"--projector", "--size", "1920x1080"}, sorted, screen), 0);
    ASSERT_EQ(desk({"--size", "1440x900"}, console, keys), 0);
    Picture before = load(wall_running), after = load(sorted);
    EXPECT_GT(ink_share(after), 0.01) << "the wall is blank";
    EXPECT_GT(changed_share(before, after), 0.01) << "sorting by votes did not change the wall";
    EXPECT_LT(pixels_of(after, 0xFA, 0xEB, 0xCF), 2000u) << "the voting line stayed on the wall after the vote";
    EXPECT_GT(changed_share(load(running), load(console)), 0.01);
}

// Quick polls in keha-desk: the opening word cloud on the wall at full HD once three have
// answered (the words drawn by count), the console's Meeting tab with the poll and its results,
// and a participant's answer form.
TEST_F(DeskE2E, AWordCloudOnTheWallAndPollsInTheConsoleAndTheParticipantView)
{
    std::vector<std::string> screen = {"KEHA_SCREEN_KEY=" + keys_.screen_key};
    fs::path before = out_ / "desk-poll-before.png", cloud = out_ / "desk-poll-word-cloud.png";
    Member facilitator(server_->port(), keys_.code, with_key(keys_.facilitator_key));
    const auto opened = facilitator.ok("poll.open", {{"kind", "words"}, {"question", "Millä sanalla kuvaisit tunnelmaasi?"}});
    const std::string poll = "l" + std::to_string(opened);
    ASSERT_EQ(desk({"--projector", "--size", "1920x1080"}, before, screen), 0);
    Member maija(server_->port(), keys_.code, as_participant("Maija", "professional"));
    Member aino(server_->port(), keys_.code, as_participant("Aino", "expert"));
    Member leena(server_->port(), keys_.code, as_participant("Leena", "leader"));
    maija.ok("poll.answer", {{"poll", poll}, {"words", {"Toiveikas", "kiire"}}});
    aino.ok("poll.answer", {{"poll", poll}, {"words", {"KIIRE"}}});
    const auto last = leena.ok("poll.answer", {{"poll", poll}, {"words", {"kiire", "Yhteistyö", "Ääni"}}});
    facilitator.catch_up(last + 1);  // the server's poll.tally after the third answer
    ASSERT_EQ(facilitator.state["polls"][poll]["results"]["words"]["kiire"], 3);

    ASSERT_EQ(desk({"--projector", "--size", "1920x1080"}, cloud, screen), 0);
    Picture a = load(before), b = load(cloud);
    ASSERT_EQ(b.width, 1920);
    EXPECT_GT(ink_share(b), ink_share(a)) << "the words should add ink to the wall";
    EXPECT_GT(changed_share(a, b), 0.01) << "the wall did not show the cloud";
    // The most given word, large and in the accent colour (theme.hpp accent), for the back of the room.
    EXPECT_GT(pixels_of(b, 0x2A, 0x74, 0x70), pixels_of(a, 0x2A, 0x74, 0x70) + 4000) << "no large word in the cloud";

    fs::path console = out_ / "desk-poll-console.png", participant = out_ / "desk-poll-participant.png";
    ASSERT_EQ(desk({"--size", "1440x900"}, console, {"KEHA_FACILITATOR_KEY=" + keys_.facilitator_key}), 0);
    EXPECT_GT(ink_share(load(console)), 0.05);
    facilitator.ok("poll.open", {{"kind", "choice"}, {"question", "Mikä auttoi?"}, {"options", {"Aikajana", "Parit"}}});
    ASSERT_EQ(desk({"--size", "1280x800", "--name", "Pirjo", "--group", "professional"}, participant), 0);
    EXPECT_GT(ink_share(load(participant)), 0.05);
}

// Questions and answers (docs/protocol.md §8.2): an open Q&A takes the wall's main area, its
// questions most up-voted first; the participant view and the console list them with their
// buttons. Nothing shows until the server has published a batch of three.
TEST_F(DeskE2E, AQaOnTheWallInTheParticipantViewAndTheConsole)
{
    Member facilitator(server_->port(), keys_.code, with_key(keys_.facilitator_key));
    facilitator.ok("phase.goto", {{"phase", "vision"}});
    const std::string id = facilitator.send("qa.open", {{"title", "Kysymyksiä johdolle"}});
    const std::string qa = facilitator.reply(id).value("qa", "");
    ASSERT_FALSE(qa.empty());
    std::vector<std::string> screen = {"KEHA_SCREEN_KEY=" + keys_.screen_key};
    fs::path empty = dir_.path() / "qa-empty.png", wall = out_ / "desk-projector-qa.png";
    ASSERT_EQ(desk({"--projector", "--size", "1920x1080"}, empty, screen), 0);

    std::vector<std::unique_ptr<Member>> people;
    const char* texts[] = {"Miten yhteistyö jatkuu kesälomien aikana?", "Kuka kutsuu seuraavan verkostopalaverin koolle?",
                           "Voiko nuori kutsua palaveriin oman luotetun aikuisen?"};
    for (int i = 0; i < 3; ++i) {
        people.push_back(std::make_unique<Member>(server_->port(), keys_.code, as_participant("Kysyjä " + std::to_string(i))));
        people.back()->ok("qa.ask", {{"qa", qa}, {"text", texts[i]}});
    }
    for (auto& p : people) p->settle();
    const json questions = people[0]->state["qa"][qa]["questions"];
    ASSERT_EQ(questions.size(), 3u);
    for (auto& p : people) p->ok("qa.upvote", {{"qa", qa}, {"question", questions.begin().key()}});
    facilitator.ok("qa.answered", {{"qa", qa}, {"question", std::next(questions.begin()).key()}});

    ASSERT_EQ(desk({"--projector", "--size", "1920x1080"}, wall, screen), 0);
    Picture before = load(empty), after = load(wall);
    EXPECT_GT(ink_share(after), ink_share(before)) << "the questions should add ink to the wall";
    EXPECT_GT(changed_share(before, after), 0.02) << "the wall did not show the questions";

    fs::path participant = out_ / "desk-participant-qa.png", console = out_ / "desk-console-qa.png";
    ASSERT_EQ(desk({"--size", "1280x800", "--name", "Aino", "--group", "expert"}, participant), 0);
    EXPECT_GT(ink_share(load(participant)), 0.05);
    ASSERT_EQ(desk({"--size", "1440x1080"}, console, {"KEHA_FACILITATOR_KEY=" + keys_.facilitator_key}), 0);
    EXPECT_GT(ink_share(load(console)), 0.05);
}

// The console opens on its Meeting tab (Kulku): raised hands show there, in the hands' amber
// (theme::hand, 0xC9 0x8A 0x1B: the heading and a dot per hand), without going to the People tab.
TEST_F(DeskE2E, RaisedHandsShowOnTheMeetingTab)
{
    Member facilitator(server_->port(), keys_.code, with_key(keys_.facilitator_key));
    Member maija(server_->port(), keys_.code, as_participant("Maija", "professional"));
    Member aino(server_->port(), keys_.code, as_participant("Aino", "expert"));
    std::vector<std::string> key = {"KEHA_FACILITATOR_KEY=" + keys_.facilitator_key};
    fs::path none = out_ / "desk-console-no-hands.png", hands = out_ / "desk-console-hands.png";
    ASSERT_EQ(desk({"--size", "1440x900"}, none, key), 0);
    aino.ok("hand.raise");
    maija.ok("hand.raise");
    ASSERT_EQ(desk({"--size", "1440x900"}, hands, key), 0);
    Picture a = load(none), b = load(hands);
    EXPECT_EQ(pixels_of(a, 0xC9, 0x8A, 0x1B), 0u) << "amber on the console with no hand up";
    EXPECT_GT(pixels_of(b, 0xC9, 0x8A, 0x1B), 60u) << "the raised hands do not show on the Meeting tab";
}

// Private writing and spotlight (docs/protocol.md §8.3, §8.4): the wall counts each person's private
// notes in a panel over the board, and outlines the spotlit card; a participant's window goes
// to the spotlit board and outlines the card there.
TEST_F(DeskE2E, PrivateWritingCountsAndTheSpotlightOnTheWall)
{
    Member facilitator(server_->port(), keys_.code, with_key(keys_.facilitator_key));
    Member maija(server_->port(), keys_.code, as_participant("Maija", "professional"));
    Member aino(server_->port(), keys_.code, as_participant("Aino", "expert"));
    facilitator.ok("phase.goto", {{"phase", "timeline"}});
    std::vector<std::string> screen = {"KEHA_SCREEN_KEY=" + keys_.screen_key};
    fs::path open = out_ / "desk-wall-before-writing.png", writing = out_ / "desk-wall-private-writing.png";
    ASSERT_EQ(desk({"--projector", "--size", "1920x1080"}, open, screen), 0);
    facilitator.ok("board.private", {{"board", "timeline"}, {"private", true}});
    maija.ok("item.add", {{"board", "timeline"}, {"column", "event"}, {"text", "Lähete nuorisopsykiatrialle"}, {"when", "2021-09"}});
    maija.ok("item.add", {{"board", "timeline"}, {"column", "event"}, {"text", "Koulu soitti"}});
    aino.ok("item.add", {{"board", "timeline"}, {"column", "event"}, {"text", "Kukaan ei kysynyt minulta"}});
    ASSERT_EQ(desk({"--projector", "--size", "1920x1080"}, writing, screen), 0);
    Picture a = load(open), b = load(writing);
    EXPECT_GT(pixels_of(b, 0xD9, 0xEA, 0xE6), pixels_of(a, 0xD9, 0xEA, 0xE6) + 20000u) << "no private-writing panel on the wall";
    fs::path own = out_ / "desk-participant-private-writing.png";
    ASSERT_EQ(desk({"--size", "1280x800"}, own, {"KEHA_TOKEN=" + aino.token}), 0);
    EXPECT_GT(ink_share(load(own)), 0.05);

    facilitator.ok("board.reveal", {{"board", "timeline"}});
    const auto added = aino.ok("item.add", {{"board", "vision"}, {"column", "hinders"}, {"text", "Jokainen kysyy samat asiat"}});
    facilitator.ok("spotlight.set", {{"board", "vision"}, {"item", "i" + std::to_string(added)}});
    fs::path spot = out_ / "desk-wall-spotlight.png", followed = out_ / "desk-participant-spotlight.png";
    ASSERT_EQ(desk({"--projector", "--size", "1920x1080"}, spot, screen), 0);
    EXPECT_EQ(pixels_of(b, 0xD9, 0x9A, 0x2B), 0u) << "the spotlight's colour on the wall before any spotlight";
    EXPECT_GT(pixels_of(load(spot), 0xD9, 0x9A, 0x2B), 800u) << "the spotlit card is not outlined on the wall";
    ASSERT_EQ(desk({"--size", "1280x800"}, followed, {"KEHA_TOKEN=" + maija.token}), 0);
    EXPECT_GT(pixels_of(load(followed), 0xB0, 0x6A, 0x12), 150u) << "the participant's window does not show the spotlit card";
}

TEST_F(DeskE2E, AWrongScreenKeyIsReportedNotHidden)
{
    fs::path png = out_ / "desk-wrong-key.png";
    // Exit code 3: the window rendered, but the room refused it (unauthorized).
    EXPECT_EQ(desk({"--projector", "--size", "1280x720"}, png, {"KEHA_SCREEN_KEY=not-the-key"}), 3);
    EXPECT_GT(ink_share(load(png)), 0.001);  // the wall says it is not connected
}

TEST_F(DeskE2E, APhaseWithoutABoardShowsItsCardOrTheCircle)
{
    Room_keys room = create_room(server_->port(), {{"title", "Erätauko: koulun ja kodin yhteistyö"},
                                                  {"language", "fi"}, {"template", "eratauko"}});
    keys_ = room;
    Member facilitator(server_->port(), keys_.code, with_key(keys_.facilitator_key));
    Member maija(server_->port(), keys_.code, as_participant("Maija", "professional"));
    Member aino(server_->port(), keys_.code, as_participant("Aino", "expert"));
    Member jussi(server_->port(), keys_.code, as_participant("Jussi", "leader"));
    aino.ok("hand.raise");
    std::vector<std::string> screen = {"KEHA_SCREEN_KEY=" + keys_.screen_key};

    fs::path circle = out_ / "desk-projector-circle.png", rules = out_ / "desk-projector-card.png";
    ASSERT_EQ(desk({"--projector", "--size", "1920x1080"}, circle, screen), 0);
    facilitator.ok("phase.goto", {{"phase", "ground-rules"}});
    ASSERT_EQ(desk({"--projector", "--size", "1920x1080"}, rules, screen), 0);
    Picture a = load(circle), b = load(rules);
    EXPECT_GT(ink_share(a), 0.01);
    EXPECT_GT(ink_share(b), 0.01);
    EXPECT_GT(changed_share(a, b), 0.02);
}

// A reflecting-team cycle driven through the protocol: the wall at each stage (each one
// different, none blank), the console's Turns panel, and a reflector's own view while
// she listens and writes a private note.
TEST_F(DeskE2E, AReflectingTeamCycleOnTheWallAndInTheViews)
{
    keys_ = create_room(server_->port(), {{"title", "Kehittämisen tiimi, Kanta-Häme"}, {"language", "fi"},
                                         {"template", "monni-professionals"}});
    Member facilitator(server_->port(), keys_.code, with_key(keys_.facilitator_key));
    Member maija(server_->port(), keys_.code, as_participant("Maija", "professional"));
    Member jussi(server_->port(), keys_.code, as_participant("Jussi", "professional"));
    Member pekka(server_->port(), keys_.code, as_participant("Pekka", "professional"));
    Member aino(server_->port(), keys_.code, as_participant("Aino", "expert"));
    Member leena(server_->port(), keys_.code, as_participant("Leena", "leader"));
    facilitator.ok("phase.goto", {{"phase", "reflecting"}});
    facilitator.ok("turns.reflecting.start", {{"focus", {maija.you, jussi.you, pekka.you}},
                                              {"reflectors", {aino.you, leena.you}},
                                              {"conversation_s", 600}, {"reflection_s", 600}, {"response_s", 300}});
    // The reflectors listen and write privately (Aino's note is held by the server though she
    // did not ask for it: listeners' input is private until their turn).
    aino.ok("item.add", {{"board", "reflections"}, {"column", "reflection"},
                         {"text", "Maija sanoi ”me emme tiedä, kuka soittaa perheelle” – ehkä tästä voisi alkaa?"}});
    leena.ok("item.add", {{"board", "reflections"}, {"column", "reflection"}, {"hidden", true},
                          {"text", "Mietin, olisiko yhteinen palaveri kerran kuussa liian harvoin"}});
    std::vector<std::string> screen = {"KEHA_SCREEN_KEY=" + keys_.screen_key};

    fs::path conversation = out_ / "desk-projector-conversation.png";
    ASSERT_EQ(desk({"--projector", "--size", "1920x1080"}, conversation, screen), 0);
    // Aino's own window (her resume token): she listens now, her note is hers alone.
    fs::path listening = out_ / "desk-participant-listening.png";
    ASSERT_EQ(desk({"--size", "1280x800"}, listening, {"KEHA_TOKEN=" + aino.token}), 0);
    fs::path console = out_ / "desk-console-turns.png";
    ASSERT_EQ(desk({"--size", "1440x900"}, console,
                   {"KEHA_FACILITATOR_KEY=" + keys_.facilitator_key, "KEHA_SCREEN_KEY=" + keys_.screen_key}),
              0);

    facilitator.ok("turns.next");  // reflection: the reflectors talk, the focus group listens
    aino.ok("item.reveal", {{"board", "reflections"}});
    fs::path reflection = out_ / "desk-projector-reflecting.png";
    ASSERT_EQ(desk({"--projector", "--size", "1920x1080"}, reflection, screen), 0);
    fs::path speaking = out_ / "desk-participant-speaking.png";
    ASSERT_EQ(desk({"--size", "1280x800"}, speaking, {"KEHA_TOKEN=" + leena.token}), 0);

    facilitator.ok("turns.next");  // response
    fs::path response = out_ / "desk-projector-response.png";
    ASSERT_EQ(desk({"--projector", "--size", "1920x1080"}, response, screen), 0);

    Picture a = load(conversation), b = load(reflection), c = load(response);
    for (const Picture* p : {&a, &b, &c}) {
        ASSERT_EQ(p->width, 1920);
        EXPECT_GT(ink_share(*p), 0.02) << "a stage on the wall is blank";
    }
    EXPECT_GT(changed_share(a, b), 0.01) << "conversation and reflection look the same";
    EXPECT_GT(changed_share(b, c), 0.01) << "reflection and response look the same";
    EXPECT_GT(changed_share(a, c), 0.005) << "conversation and response look the same";
    Picture l = load(listening), s = load(speaking);
    EXPECT_GT(ink_share(l), 0.05);
    EXPECT_GT(changed_share(l, s), 0.02) << "listening and speaking views look the same";
    EXPECT_GT(ink_share(load(console)), 0.05);
    facilitator.ok("turns.end");
}

// The lobby: a joiner waits and sees so (exit 0: the room answered); a round on the wall.
TEST_F(DeskE2E, TheLobbyAndARound)
{
    Member facilitator(server_->port(), keys_.code, with_key(keys_.facilitator_key));
    Member maija(server_->port(), keys_.code, as_participant("Maija", "professional"));
    Member aino(server_->port(), keys_.code, as_participant("Aino", "expert"));
    Member jussi(server_->port(), keys_.code, as_participant("Jussi", "leader"));
    facilitator.ok("room.settings", {{"admit_joiners", true}});
    std::vector<std::string> key = {"KEHA_FACILITATOR_KEY=" + keys_.facilitator_key};
    fs::path nobody = out_ / "desk-console-nobody-waiting.png";
    ASSERT_EQ(desk({"--size", "1440x900"}, nobody, key), 0);
    fs::path lobby = out_ / "desk-participant-lobby.png";
    ASSERT_EQ(desk({"--size", "1280x800", "--name", "Eeva", "--group", "expert"}, lobby), 0);
    EXPECT_GT(ink_share(load(lobby)), 0.01);
    // The console sees Eeva waiting: a count in the top bar (right half), which opens the
    // list of those waiting under it.
    fs::path console = out_ / "desk-console-lobby.png", list = out_ / "desk-console-lobby-list.png";
    ASSERT_EQ(desk({"--size", "1440x900"}, console, key), 0);
    ASSERT_EQ(desk({"--size", "1440x900", "--tab", "lobby"}, list, key), 0);
    Picture without = load(nobody), with = load(console), opened = load(list);
    ASSERT_EQ(with.width, 1440);
    EXPECT_GT(changed_share(crop(without, 720, 0, 720, 56), crop(with, 720, 0, 720, 56)), 0.02)
        << "no waiting count in the top bar";
    EXPECT_GT(changed_share(crop(with, 900, 60, 540, 160), crop(opened, 900, 60, 540, 160)), 0.05)
        << "the count does not open the list";
    // And a notice under the top bar on the right, over the boards: "Eeva is waiting to join",
    // in the amber of the count (signal_soft), which the boards there do not use.
    Picture notice_without = crop(without, 1000, 64, 440, 400), notice_with = crop(with, 1000, 64, 440, 400);
    EXPECT_GT(changed_share(notice_without, notice_with), 0.05) << "no notice of Eeva waiting";
    EXPECT_EQ(pixels_of(notice_without, 0xFA, 0xEB, 0xCF), 0u);
    const std::size_t one_notice = pixels_of(notice_with, 0xFA, 0xEB, 0xCF);
    EXPECT_GT(one_notice, 440u * 40u) << "the notice of Eeva waiting is not amber";
    // Four more start waiting: the three newest have a notice each, stacked; the other two
    // are counted ("+2 more") under them.
    for (const char* name : {"Outi", "Veikko", "Ilona", "Pekka"})
        ASSERT_EQ(hello_answer(server_->port(), hello_message(keys_.code, as_participant(name))).message.value_or(json())
                      .value("type", ""),
                  "lobby");
    fs::path several = out_ / "desk-console-lobby-notices.png";
    ASSERT_EQ(desk({"--size", "1440x900"}, several, key), 0);
    const std::size_t notices = pixels_of(crop(load(several), 1000, 64, 440, 836), 0xFA, 0xEB, 0xCF);
    EXPECT_GT(notices, one_notice * 3) << "not three notices and the count of the others";
    EXPECT_LT(notices, one_notice * 5) << "more than three notices";

    std::vector<std::string> screen = {"KEHA_SCREEN_KEY=" + keys_.screen_key};
    fs::path before = out_ / "desk-projector-before-round.png", round = out_ / "desk-projector-round.png";
    ASSERT_EQ(desk({"--projector", "--size", "1920x1080"}, before, screen), 0);
    facilitator.ok("turns.round.start", {{"order", {maija.you, aino.you, jussi.you}}, {"per_speaker_s", 90}});
    maija.ok("turns.round.pass");
    ASSERT_EQ(desk({"--projector", "--size", "1920x1080"}, round, screen), 0);
    EXPECT_GT(changed_share(load(before), load(round)), 0.02) << "the round does not show";

    // The speaker's time box ends: the wall signals it softly for a moment.
    facilitator.ok("timer.start", {{"duration_s", 1}});
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    fs::path ended = out_ / "desk-projector-timebox.png";
    ASSERT_EQ(desk({"--projector", "--size", "1920x1080"}, ended, screen), 0);
    EXPECT_GT(changed_share(load(round), load(ended)), 0.01) << "no signal when the time box ends";
}

// Moderation and the settings: held items wait in the console's approval tab; the author
// of a declined one sees why; the vote limit shows what is left.
TEST_F(DeskE2E, ModerationSettingsAndVotes)
{
    Member facilitator(server_->port(), keys_.code, with_key(keys_.facilitator_key));
    Member maija(server_->port(), keys_.code, as_participant("Maija", "professional"));
    Member aino(server_->port(), keys_.code, as_participant("Aino", "expert"));
    facilitator.ok("phase.goto", {{"phase", "vision"}});
    facilitator.ok("room.settings", {{"moderated", true}, {"vote_limit", 3}, {"votes_visible", false}});
    aino.ok("item.add", {{"board", "vision"}, {"column", "vision"}, {"text", "Nuori tietää, kuka hänen asiaansa hoitaa"}});
    maija.ok("item.add", {{"board", "vision"}, {"column", "hinders"}, {"text", "Perheen sukunimi ja osoite tähän"}});
    maija.ok("item.add", {{"board", "vision"}, {"column", "enables"}, {"text", "Yhteinen verkostopalaveri kerran kuussa"}});
    facilitator.ok("item.add", {{"board", "vision"}, {"column", "vision"}, {"text", "Kukaan ei jää yksin"}});
    json items = facilitator.state["boards"]["vision"]["items"];
    std::string declined, approved;
    for (auto& [id, item] : items.items()) {
        if (item.value("text", "").rfind("Perheen", 0) == 0) declined = id;
        if (item.value("text", "").rfind("Yhteinen", 0) == 0) approved = id;
    }
    ASSERT_FALSE(declined.empty());
    facilitator.ok("item.decline", {{"board", "vision"}, {"id", declined}, {"reason", "Ei perheen tunnistetietoja, kiitos."}});
    facilitator.ok("item.approve", {{"board", "vision"}, {"id", approved}});
    maija.ok("item.vote", {{"board", "vision"}, {"id", approved}});

    std::vector<std::string> key = {"KEHA_FACILITATOR_KEY=" + keys_.facilitator_key};
    fs::path approval = out_ / "desk-console-approval.png", settings = out_ / "desk-console-settings.png";
    ASSERT_EQ(desk({"--size", "1440x900", "--tab", "approval"}, approval, key), 0);
    ASSERT_EQ(desk({"--size", "1440x900", "--tab", "settings"}, settings, key), 0);
    EXPECT_GT(changed_share(load(approval), load(settings)), 0.02);
    fs::path author = out_ / "desk-participant-declined.png";
    ASSERT_EQ(desk({"--size", "1280x800"}, author, {"KEHA_TOKEN=" + maija.token}), 0);
    EXPECT_GT(ink_share(load(author)), 0.05);
}

// Issue 6: the identity-code warning before an export, the history panel showing the boards
// as they stood, and the questionnaire's results once the facilitator closes it.
TEST_F(DeskE2E, ExportWarningHistoryAndRatings)
{
    Member facilitator(server_->port(), keys_.code, with_key(keys_.facilitator_key));
    facilitator.ok("phase.goto", {{"phase", "timeline"}});
    Member maija(server_->port(), keys_.code, as_participant("Maija", "professional"));
    Member aino(server_->port(), keys_.code, as_participant("Aino", "expert"));
    Member leena(server_->port(), keys_.code, as_participant("Leena", "leader"));
    std::uint64_t early = maija.ok("item.add", {{"board", "timeline"}, {"column", "event"},
                                                {"text", "Ensimmäinen verkostopalaveri koululla"}, {"when", "2021-09"},
                                                {"sector", "Koulu"}});
    aino.ok("item.add", {{"board", "timeline"}, {"column", "event"}, {"text", "Asiakas 131052-308T muutti toiselle paikkakunnalle"},
                         {"when", "2022-03"}, {"sector", "Sosiaalitoimi"}});
    leena.ok("item.add", {{"board", "timeline"}, {"column", "event"}, {"text", "Perhetyö alkoi"}, {"when", "2020"},
                          {"sector", "Perhepalvelut"}});
    maija.ok("item.add", {{"board", "timeline"}, {"column", "event"}, {"text", "Nuorisotyö mukaan verkostoon"}, {"when", "2023"},
                          {"sector", "Nuorisotyö"}});

    std::vector<std::string> key = {"KEHA_FACILITATOR_KEY=" + keys_.facilitator_key};
    fs::path live = out_ / "desk-console-live.png", history = out_ / "desk-history.png";
    ASSERT_EQ(desk({"--size", "1440x900"}, live, key), 0);
    ASSERT_EQ(desk({"--size", "1440x900", "--tab", "history", "--history-seq", std::to_string(early)}, history, key), 0);
    Picture l = load(live), h = load(history);
    EXPECT_GT(ink_share(h), 0.05) << "the history view is blank";
    EXPECT_GT(changed_share(l, h), 0.02) << "the history view looks like the live room";

    // The export stops at the warning: nothing is written until the facilitator decides.
    fs::path notes = dir_.path() / "notes.md", warning = out_ / "desk-export-warning.png";
    ASSERT_EQ(desk({"--size", "1440x900", "--export-to", notes.string()}, warning, key), 0);
    Picture w = load(warning);
    EXPECT_GT(ink_share(w), 0.05);
    EXPECT_GT(changed_share(l, w), 0.02) << "no warning over the console";
    EXPECT_FALSE(fs::exists(notes)) << "the notes were written despite an identity code";

    // The access log, as the console saves it: who joined, in which role, from where.
    fs::path access_log = dir_.path() / "access-log.csv";
    ASSERT_EQ(desk({"--size", "1440x900", "--access-log-to", access_log.string()}, out_ / "desk-access-log.png", key), 0);
    ASSERT_TRUE(fs::exists(access_log));
    {
        std::ifstream in(access_log);
        std::string csv{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
        EXPECT_EQ(csv.rfind("at,room,event,role,pid,name,address,detail\r\n", 0), 0u);
        EXPECT_NE(csv.find(",join,participant," + aino.you + ",Aino,127.0.0.1,"), std::string::npos) << csv;
    }

    // Without a code the export goes straight through.
    Room_keys clean = create_room(server_->port(), {{"title", "Puhdas"}, {"language", "fi"}});
    fs::path clean_notes = dir_.path() / "clean.md", clean_png = dir_.path() / "clean.png";
    {
        std::vector<std::string> args = {KEHA_DESK_BIN, "--server", url_, "--room", clean.code, "--frames", "8",
                                         "--size", "1024x700", "--export-to", clean_notes.string(), "--screenshot", clean_png.string()};
        pid_t pid = spawn(args, {"DISPLAY=" + display_->display(), "LIBGL_ALWAYS_SOFTWARE=1", "KEHA_ASSETS=" KEHA_TEST_ASSETS,
                                 "KEHA_FACILITATOR_KEY=" + clean.facilitator_key});
        ASSERT_GT(pid, 0);
        ASSERT_EQ(wait_for(pid, std::chrono::seconds(60)), 0);
    }
    ASSERT_TRUE(fs::exists(clean_notes));
    EXPECT_GT(fs::file_size(clean_notes), 20u);

    // The questionnaire: three answers, closed, and the results on a participant's screen.
    facilitator.ok("ratings.open");
    ASSERT_TRUE(facilitator.state["ratings"]["questions"].is_array());
    ASSERT_FALSE(facilitator.state["ratings"]["questions"].empty()) << "the default template has no questions";
    json answers = json::object();
    int score = 6;
    for (Member* m : {&maija, &aino, &leena}) {
        for (const json& q : facilitator.state["ratings"]["questions"]) answers[q["id"].get<std::string>()] = score;
        m->ok("rating.submit", {{"answers", answers}, {"comment", "Kommentti " + std::to_string(score)}});
        score += 2;
    }
    facilitator.ok("ratings.close");
    fs::path ratings = out_ / "desk-ratings.png";
    ASSERT_EQ(desk({"--size", "1280x900"}, ratings, {"KEHA_TOKEN=" + aino.token}), 0);
    Picture r = load(ratings);
    EXPECT_GT(ink_share(r), 0.05);
    EXPECT_GT(changed_share(l, r), 0.02);
}

// Issue 6: a process with two meetings. The second meeting's console shows the Process tab —
// the meetings, the ratings across them — and its import brings the first meeting's timeline
// and plan into the second (checked over the protocol).
TEST_F(DeskE2E, TheProcessPanelAndAnImport)
{
    auto [process, process_key, first, second] = two_meetings_of_a_process();
    ASSERT_FALSE(second.code.empty());
    // Both meetings close their questionnaire with three answers, so the plot has two points.
    auto rate = [&](const Room_keys& room, int base) {
        Member f(server_->port(), room.code, with_key(room.facilitator_key));
        Member a(server_->port(), room.code, as_participant("Maija", "professional"));
        Member b(server_->port(), room.code, as_participant("Aino", "expert"));
        Member c(server_->port(), room.code, as_participant("Leena", "leader"));
        if (room.code == first.code) {
            f.ok("phase.goto", {{"phase", "timeline"}});
            a.ok("item.add", {{"board", "timeline"}, {"column", "event"}, {"text", "Ensimmäinen verkostopalaveri"},
                              {"when", "2021-09"}, {"sector", "Koulu"}});
            b.ok("item.add", {{"board", "timeline"}, {"column", "event"}, {"text", "Perhetyö alkoi"}, {"when", "2020"},
                              {"sector", "Perhepalvelut"}});
            a.ok("item.add", {{"board", "plan"}, {"column", "action"}, {"text", "Nuori kutsutaan palavereihin"}, {"who", "Maija"}});
        }
        f.ok("ratings.open");
        int score = base;
        for (Member* m : {&a, &b, &c}) {
            json answers = json::object();
            int k = 0;
            for (const json& q : f.state["ratings"]["questions"]) answers[q["id"].get<std::string>()] = std::min(10, score + k++);
            m->ok("rating.submit", {{"answers", answers}});
            score += 1;
        }
        f.ok("ratings.close");
    };
    rate(first, 5);
    rate(second, 7);

    auto run = [&](const std::vector<std::string>& extra, const fs::path& png) {
        std::vector<std::string> args = {KEHA_DESK_BIN, "--server", url_, "--room", second.code, "--frames", "8",
                                         "--size", "1440x900", "--screenshot", png.string()};
        args.insert(args.end(), extra.begin(), extra.end());
        pid_t pid = spawn(args, {"DISPLAY=" + display_->display(), "LIBGL_ALWAYS_SOFTWARE=1", "KEHA_ASSETS=" KEHA_TEST_ASSETS,
                                 "KEHA_FACILITATOR_KEY=" + second.facilitator_key});
        return pid > 0 ? wait_for(pid, std::chrono::seconds(60)) : -2;
    };
    fs::path console = dir_.path() / "process-console.png", panel = out_ / "desk-process.png";
    ASSERT_EQ(run({}, console), 0);
    ASSERT_EQ(run({"--tab", "process", "--import-from", first.code}, panel), 0);
    Picture c = load(console), p = load(panel);
    EXPECT_GT(ink_share(p), 0.05) << "the process panel is blank";
    EXPECT_GT(changed_share(c, p), 0.02) << "the process panel looks like the meeting tab";

    // The import from the panel brought the first meeting's timeline and plan, with provenance.
    Member check(server_->port(), second.code, with_key(second.facilitator_key));
    const json& boards = check.state["boards"];
    ASSERT_EQ(boards["timeline"]["items"].size(), 2u);
    ASSERT_EQ(boards["plan"]["items"].size(), 1u);
    for (const char* board : {"timeline", "plan"})
        for (const auto& [id, item] : boards[board]["items"].items()) {
            EXPECT_EQ(item["source"]["code"], first.code) << id;
            EXPECT_EQ(item["readonly"], true) << id;
        }
}

// Issue 10: the leaders' meeting brings in the professionals' vision and plan, and makes the
// agreed action its own as an editable copy: the console's plan shows the copy with the
// original folded under it (Document::board_items leaves the original out — document_test),
// the Process tab counts the agreement once (made by the professionals, reaffirmed by the leaders).
TEST_F(DeskE2E, TheCopyStandsInForTheImportedOriginalAndAgreementsCountOnce)
{
    auto [process, process_key, first, second] = two_meetings_of_a_process();
    ASSERT_FALSE(second.code.empty());
    {
        Member f(server_->port(), first.code, with_key(first.facilitator_key));
        f.ok("item.add", {{"board", "vision"}, {"column", "hinders"}, {"text", "Tieto kulkee vain paperilla"}});
        const std::string hinder = "i" + std::to_string(f.seq);
        f.ok("item.add", {{"board", "plan"}, {"column", "action"}, {"text", "Yhteinen sähköinen kalenteri"}, {"who", "Maija"},
                          {"status", "agreed"}, {"addresses", hinder}});
        f.ok("item.add", {{"board", "plan"}, {"column", "action"}, {"text", "Nuori kutsutaan palavereihin"}, {"status", "agreed"}});
    }
    Member f(server_->port(), second.code, with_key(second.facilitator_key));
    f.ok("item.import", {{"from", first.code}, {"boards", {"vision", "plan"}}});
    std::string original;
    for (const auto& [id, item] : f.state["boards"]["plan"]["items"].items())
        if (item["text"] == "Yhteinen sähköinen kalenteri") original = id;
    ASSERT_FALSE(original.empty());
    f.ok("item.copy", {{"board", "plan"}, {"id", original}});
    f.ok("item.edit", {{"board", "plan"}, {"id", "i" + std::to_string(f.seq)}, {"text", "Yhteinen sähköinen kalenteri kaikille palveluille"}});
    f.ok("phase.goto", {{"phase", "plan"}});

    auto run = [&](const std::vector<std::string>& extra, const fs::path& png) {
        std::vector<std::string> args = {KEHA_DESK_BIN, "--server", url_, "--room", second.code, "--frames", "8",
                                         "--size", "1440x900", "--screenshot", png.string()};
        args.insert(args.end(), extra.begin(), extra.end());
        pid_t pid = spawn(args, {"DISPLAY=" + display_->display(), "LIBGL_ALWAYS_SOFTWARE=1", "KEHA_ASSETS=" KEHA_TEST_ASSETS,
                                 "KEHA_FACILITATOR_KEY=" + second.facilitator_key});
        return pid > 0 ? wait_for(pid, std::chrono::seconds(60)) : -2;
    };
    fs::path plan = out_ / "desk-copy-folds-original.png", panel = out_ / "desk-process-counts.png";
    ASSERT_EQ(run({}, plan), 0);
    ASSERT_EQ(run({"--tab", "process"}, panel), 0);
    Picture a = load(plan), b = load(panel);
    EXPECT_GT(ink_share(a), 0.05) << "the plan is blank";
    EXPECT_GT(changed_share(a, b), 0.02) << "the process panel looks like the plan";

    // What the windows drew from, over the protocol: one agreement per origin.
    auto answer = http_get(server_->port(), "/api/processes/" + process, {{"Authorization", "Bearer " + process_key}});
    ASSERT_EQ(answer.status, 200);
    EXPECT_EQ(answer.json_body()["totals"]["agreements"], 2);
    EXPECT_EQ(answer.json_body()["meetings"][1]["counts"]["reaffirmed"], 2);
    EXPECT_EQ(answer.json_body()["meetings"][1]["counts"]["agreements"], 0);
}

// Issue 10: after the close the console lists every comment with its "show on the wall"
// switch, and — this server is bound to 127.0.0.1 — warns that the wall's address is one
// only the server's machine can open.
TEST_F(DeskE2E, TheConsoleReviewsTheCommentsAndWarnsOfALoopbackWall)
{
    Member facilitator(server_->port(), keys_.code, with_key(keys_.facilitator_key));
    ASSERT_TRUE(facilitator.welcome["join"]["loopback"].get<bool>());
    facilitator.ok("ratings.open");
    int score = 5;
    for (const char* comment : {"Hyvä tapaaminen", "Liian vähän aikaa", "Seuraavaksi koululle"}) {
        Member m(server_->port(), keys_.code, as_participant("Vastaaja", "professional"));
        json answers = json::object();
        for (const json& q : facilitator.state["ratings"]["questions"]) answers[q["id"].get<std::string>()] = score;
        m.ok("rating.submit", {{"answers", answers}, {"comment", comment}});
        ++score;
    }
    facilitator.ok("ratings.close");
    std::vector<std::string> key = {"KEHA_FACILITATOR_KEY=" + keys_.facilitator_key};
    fs::path before = out_ / "desk-console-comments.png", after = dir_.path() / "comments-after.png";
    ASSERT_EQ(desk({"--size", "1440x1080"}, before, key), 0);
    facilitator.ok("ratings.comment.show", {{"index", 1}, {"shown", true}});
    ASSERT_EQ(desk({"--size", "1440x1080"}, after, key), 0);
    Picture b = load(before), a = load(after);
    EXPECT_GT(ink_share(b), 0.05);
    EXPECT_GT(changed_share(b, a), 0.0) << "the switch the server now reports as on is not drawn";
}

// keha-desk remembers its resume token per room: started again, it is the same person;
// another name typed at the same computer is another person.
TEST_F(DeskE2E, RestartingKehaDeskRejoinsAsTheSamePerson)
{
    Member facilitator(server_->port(), keys_.code, with_key(keys_.facilitator_key));
    auto named = [&](const std::string& name) {
        facilitator.settle();
        int n = 0;
        for (const auto& [pid, p] : facilitator.state["participants"].items())
            if (p.value("name", "") == name && !p.value("removed", false)) ++n;
        return n;
    };
    ASSERT_EQ(desk({"--size", "1280x800", "--name", "Aino", "--group", "expert"}, out_ / "desk-rejoin-first.png"), 0);
    ASSERT_EQ(named("Aino"), 1);
    ASSERT_EQ(desk({"--size", "1280x800", "--name", "Aino", "--group", "expert"}, out_ / "desk-rejoin-again.png"), 0);
    EXPECT_EQ(named("Aino"), 1) << "a restart must not make a second Aino";

    // Only its owner can read the remembered token.
    int files = 0;
    for (const auto& entry : fs::directory_iterator(dir_.path() / "state" / "keha" / "tokens")) {
        struct stat st {};
        ASSERT_EQ(::stat(entry.path().c_str(), &st), 0);
        EXPECT_EQ(st.st_mode & 0777, 0600u) << entry.path();
        ++files;
    }
    EXPECT_EQ(files, 1);

    ASSERT_EQ(desk({"--size", "1280x800", "--name", "Eero", "--group", "leader"}, out_ / "desk-rejoin-other.png"), 0);
    EXPECT_EQ(named("Eero"), 1);
    EXPECT_EQ(named("Aino"), 1);
}

// "Use on another device": the participant's own window shows a rejoin code and their personal
// link (token in the fragment), and the code brings the same person back on another device.
TEST_F(DeskE2E, AParticipantGetsARejoinCodeOnTheirOwnWindow)
{
    fs::path plain = out_ / "desk-participant-before-rejoin-code.png", png = out_ / "desk-participant-rejoin-code.png";
    ASSERT_EQ(desk({"--size", "1280x800", "--name", "Aino", "--group", "expert"}, plain), 0);
    ASSERT_EQ(desk({"--size", "1280x800", "--name", "Aino", "--group", "expert", "--tab", "device"}, png), 0);
    EXPECT_GT(changed_share(load(plain), load(png)), 0.05) << "the popup should cover the participant view";
    Member facilitator(server_->port(), keys_.code, with_key(keys_.facilitator_key));
    facilitator.settle();
    int ainos = 0;
    for (const auto& [pid, p] : facilitator.state["participants"].items())
        if (p.value("name", "") == "Aino") ++ainos;
    EXPECT_EQ(ainos, 1);
}

// ---------------------------------------------------------------- issue 13: keyboard, letters, walls
namespace {

// keha-desk kept open (no --frames) and driven by real X key events from xdotool; SIGTERM
// ends it like a closed window, after writing --screenshot-at-exit.
class Open_desk {
public:
    Open_desk(const std::string& display, std::vector<std::string> args, std::vector<std::string> env,
              const fs::path& err)
        : display_(display)
    {
        args.insert(args.begin(), KEHA_DESK_BIN);
        env.push_back("DISPLAY=" + display);
        env.push_back("LIBGL_ALWAYS_SOFTWARE=1");
        env.push_back("KEHA_ASSETS=" KEHA_TEST_ASSETS);
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        pid_ = spawn(args, env, &actions);
        posix_spawn_file_actions_destroy(&actions);
        // The window is there once xdotool finds it by its title ("Kehä", "Kehä — <room>").
        if (pid_ > 0) xdo({"search", "--sync", "--onlyvisible", "--name", "Keh"});
    }
    ~Open_desk() { stop(); }
    Open_desk(const Open_desk&) = delete;
    Open_desk& operator=(const Open_desk&) = delete;

    bool running() const { return pid_ > 0; }
    int stop()
    {
        if (pid_ <= 0) return exit_;
        kill(pid_, SIGTERM);
        exit_ = wait_for(pid_, std::chrono::seconds(30));
        pid_ = -1;
        return exit_;
    }
    // Taps each key (an X key press and release, as a keyboard sends them), one after another.
    void keys(std::initializer_list<const char*> names)
    {
        for (const char* k : names) {
            xdo({"keydown", k, "keyup", k});
            settle();
        }
    }
    // A key held with a modifier: Ctrl+Return, Shift+F5.
    void chord(const char* modifier, const char* key)
    {
        xdo({"keydown", modifier, "keydown", key, "keyup", key, "keyup", modifier});
        settle();
    }
    // Waits until the window's title matches (a regular expression): "Kehä — <room>" once it is in.
    void wait_for_title(const std::string& pattern) { xdo({"search", "--sync", "--onlyvisible", "--name", pattern}); }
    // Text as typed (xdotool on a bare Xvfb has no keys for letters outside ASCII: the
    // letters of other scripts are checked where people's names arrive over the protocol).
    void type(const std::string& text)
    {
        xdo({"type", "--delay", "40", text});
        settle();
    }

private:
    void xdo(std::vector<std::string> args)
    {
        const std::string xdotool = find_program("xdotool");
        ASSERT_FALSE(xdotool.empty()) << "xdotool is not installed (apt-get install xdotool)";
        args.insert(args.begin(), xdotool);
        posix_spawn_file_actions_t quiet;  // `search` prints the window's id
        posix_spawn_file_actions_init(&quiet);
        posix_spawn_file_actions_addopen(&quiet, 1, "/dev/null", O_WRONLY, 0);
        pid_t p = spawn(args, {"DISPLAY=" + display_}, &quiet);
        posix_spawn_file_actions_destroy(&quiet);
        ASSERT_GT(p, 0);
        ASSERT_EQ(wait_for(p, std::chrono::seconds(30)), 0) << args[1];
    }
    // A person's pace: the window draws a frame or two between keys (waiting, not asserting).
    static void settle() { std::this_thread::sleep_for(std::chrono::milliseconds(300)); }

    std::string display_;
    pid_t pid_ = -1;
    int exit_ = 0;
};

// Polls what a member sees until `ok` holds (or 30 s pass); whether it held.
bool eventually(Member& m, const std::function<bool(const json&)>& ok)
{
    auto end = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < end) {
        m.settle(100ms);
        if (ok(m.state)) return true;
    }
    return ok(m.state);
}

std::string read_text(const fs::path& path)
{
    std::ifstream in(path);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

const json* person_named(const json& state, const std::string& name)
{
    for (const auto& [pid, p] : state["participants"].items())
        if (p.value("name", "") == name && !p.value("removed", false)) return &p;
    return nullptr;
}

class DeskAccess : public DeskE2E {};

}  // namespace

// A participant with only a keyboard: from the start screen to the Join tab, the code and the
// name typed, Enter joins; in the room an item typed and added with Ctrl+Enter, a vote given
// by arrows and Space, the hand raised with F2 — each checked on the server.
TEST_F(DeskAccess, AParticipantJoinsAddsVotesAndRaisesAHandByKeyboard)
{
    Member facilitator(server_->port(), keys_.code, with_key(keys_.facilitator_key));
    facilitator.ok("phase.goto", {{"phase", "timeline"}});
    fs::path png = out_ / "desk-keyboard-participant.png";
    Open_desk desk(display_->display(),
                   {"--server", url_, "--size", "1280x800", "--screenshot-at-exit", png.string()},
                   {"XDG_STATE_HOME=" + (dir_.path() / "state").string()}, dir_.path() / "keyboard-participant.txt");
    ASSERT_TRUE(desk.running());

    // Tab to the server address, Escape, Down to the tabs, Right to Join, Space; Tab twice to the code.
    desk.keys({"Tab", "Escape", "Down", "Right", "space", "Tab", "Tab"});
    desk.type(keys_.code);
    desk.keys({"Tab"});
    desk.type("Aino Keyboard");
    desk.keys({"Return"});
    ASSERT_TRUE(eventually(facilitator, [](const json& s) {
        const json* p = person_named(s, "Aino Keyboard");
        return p && p->value("online", false);
    })) << "Enter in the name field did not join";
    std::string aino;
    for (const auto& [pid, p] : facilitator.state["participants"].items())
        if (p.value("name", "") == "Aino Keyboard") aino = pid;

    // The boards take the keyboard: Tab to the add box, Ctrl+Enter adds.
    desk.keys({"Tab"});
    desk.type("Perhetyo alkoi koululla");
    desk.chord("ctrl", "Return");
    std::string id;
    ASSERT_TRUE(eventually(facilitator, [&](const json& s) {
        for (const auto& [key, item] : s["boards"]["timeline"]["items"].items())
            if (item.value("text", "") == "Perhetyo alkoi koululla" && item.value("author", "") == aino) id = key;
        return !id.empty();
    })) << "Ctrl+Enter did not add the item";

    // Escape leaves the box; Down to the list of items, Space into it, Space on the vote button.
    desk.keys({"Escape", "Down", "Down", "Down", "space", "space"});
    ASSERT_TRUE(eventually(facilitator, [&](const json& s) {
        return s["boards"]["timeline"]["items"][id].value("votes", 0) == 1;
    })) << "the vote was not given by keyboard";
    const json& voters = facilitator.state["boards"]["timeline"]["items"][id]["voters"];
    EXPECT_NE(std::find(voters.begin(), voters.end(), json(aino)), voters.end());
    // The keyboard stays on the button that now says "take back": Space again takes the
    // vote back, and once more gives it (a focus lost to a rebuilt button would do neither).
    desk.keys({"space"});
    EXPECT_TRUE(eventually(facilitator, [&](const json& s) {
        return s["boards"]["timeline"]["items"][id].value("votes", -1) == 0;
    })) << "the keyboard left the vote button when its label changed";
    desk.keys({"space"});
    EXPECT_TRUE(eventually(facilitator, [&](const json& s) {
        return s["boards"]["timeline"]["items"][id].value("votes", 0) == 1;
    }));

    desk.keys({"F2"});
    ASSERT_TRUE(eventually(facilitator, [&](const json& s) { return s["participants"][aino].value("hand", false); }))
        << "F2 did not raise the hand";
    EXPECT_EQ(desk.stop(), 0);
    Picture p = load(png);
    EXPECT_EQ(p.width, 1280);
    EXPECT_GT(ink_share(p), 0.02);
}

// The facilitator with only a keyboard: a new meeting from the start screen (Tab to its
// title, Enter creates it), then the console's keys: F5 the next phase, F6 the timer
// started and paused, F8 the room locked and opened, Shift+F5 back — as the server has it.
TEST_F(DeskAccess, AFacilitatorRunsTheMeetingByKeyboard)
{
    fs::path png = out_ / "desk-keyboard-console.png";
    Open_desk desk(display_->display(),
                   {"--server", url_, "--size", "1440x900", "--screenshot-at-exit", png.string()}, {},
                   dir_.path() / "keyboard-console.txt");
    ASSERT_TRUE(desk.running());
    desk.keys({"Tab", "Tab"});  // the server's address, then the meeting's title
    desk.type("Kevaan verkostotapaaminen");
    desk.keys({"Return"});

    // The new room is in the server's store; someone joins it to watch.
    std::string code;
    auto end = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (code.empty() && std::chrono::steady_clock::now() < end) {
        for (const auto& row : db_rows(dir_.path() / "e2e.db", "SELECT code FROM rooms"))
            if (row[0] != keys_.code) code = row[0];
        if (code.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ASSERT_FALSE(code.empty()) << "Enter in the title did not create the meeting";
    Member watcher(server_->port(), code, as_participant("Tarkkailija", "other"));
    EXPECT_EQ(watcher.state["room"]["title"], "Kevaan verkostotapaaminen");
    ASSERT_TRUE(eventually(watcher, [](const json& s) {
        for (const auto& [pid, p] : s["participants"].items())
            if (p.value("role", "") == "facilitator" && p.value("online", false)) return true;
        return false;
    }));
    const json phases = watcher.state["phases"];
    ASSERT_GE(phases.size(), 2u);

    desk.keys({"F5"});
    EXPECT_TRUE(eventually(watcher, [&](const json& s) { return s["phase"] == phases[1]["id"]; })) << "F5";
    desk.keys({"F6"});
    EXPECT_TRUE(eventually(watcher, [](const json& s) { return s["timer"].value("state", "") == "running"; })) << "F6";
    desk.keys({"F6"});
    EXPECT_TRUE(eventually(watcher, [](const json& s) { return s["timer"].value("state", "") == "paused"; })) << "F6 again";
    desk.keys({"F8"});
    EXPECT_TRUE(eventually(watcher, [](const json& s) { return s["room"].value("locked", false); })) << "F8";
    desk.keys({"F8"});
    EXPECT_TRUE(eventually(watcher, [](const json& s) { return !s["room"].value("locked", true); })) << "F8 again";
    desk.chord("shift", "F5");
    EXPECT_TRUE(eventually(watcher, [&](const json& s) { return s["phase"] == phases[0]["id"]; })) << "Shift+F5";
    EXPECT_EQ(desk.stop(), 0);
    EXPECT_GT(ink_share(load(png)), 0.02);
}

// Names and items in Cyrillic, Greek, Vietnamese and Finnish/Sámi letters are drawn with
// their own glyphs: keha-desk looks every character people wrote up in every text font
// (ImFont::FindGlyphNoFallback) and says on stderr when one is missing. A character no
// installed font has (here one from the Private Use Area) is said too, and drawn as its code.
TEST_F(DeskAccess, NamesInEveryScriptAreDrawnWithTheirOwnLetters)
{
    Member facilitator(server_->port(), keys_.code, with_key(keys_.facilitator_key));
    facilitator.ok("phase.goto", {{"phase", "vision"}});
    const std::vector<std::pair<std::string, std::string>> people = {
        {"Анна Петрова", "Школа и семья говорят друг с другом"},
        {"Γιώργος Παπαδόπουλος", "Η οικογένεια ξέρει ποιος βοηθά"},
        {"Nguyễn Thị Hằng", "Gia đình được lắng nghe"},
        {"Äijälä Åsa Čuđiš Ŋiillas", "Nuori tietää, kuka hänen asiaansa hoitaa"},
    };
    std::vector<std::unique_ptr<Member>> members;
    for (const auto& [name, text] : people) {
        members.push_back(std::make_unique<Member>(server_->port(), keys_.code, as_participant(name, "professional")));
        members.back()->ok("item.add", {{"board", "vision"}, {"column", "vision"}, {"text", text}});
        members.back()->ok("hand.raise");
    }
    Member odd(server_->port(), keys_.code, as_participant("Merkki \xee\x80\x80", "other"));  // U+E000

    fs::path png = out_ / "desk-names-scripts.png", err = dir_.path() / "names-stderr.txt";
    std::vector<std::string> args = {KEHA_DESK_BIN, "--server", url_, "--room", keys_.code, "--size", "1440x900",
                                     "--tab", "people", "--frames", "8", "--screenshot", png.string()};
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    pid_t pid = spawn(args, {"DISPLAY=" + display_->display(), "LIBGL_ALWAYS_SOFTWARE=1", "KEHA_ASSETS=" KEHA_TEST_ASSETS,
                             "KEHA_FACILITATOR_KEY=" + keys_.facilitator_key},
                      &actions);
    posix_spawn_file_actions_destroy(&actions);
    ASSERT_GT(pid, 0);
    ASSERT_EQ(wait_for(pid, std::chrono::seconds(60)), 0);
    std::string said = read_text(err);
    EXPECT_EQ(said.find("no glyph"), std::string::npos) << said;
    EXPECT_NE(said.find("no installed font draws 1 characters people use (first U+E000)"), std::string::npos)
        << "the check did not see the characters people wrote: " << said;
    EXPECT_GT(ink_share(load(png)), 0.02);
}

// The wall in each theme the facilitator picks (room.settings wall_theme), live: the
// projector's background is the theme's and its text is drawn in the theme's ink.
TEST_F(DeskAccess, TheWallFollowsTheThemeTheFacilitatorPicks)
{
    Member facilitator(server_->port(), keys_.code, with_key(keys_.facilitator_key));
    facilitator.ok("phase.goto", {{"phase", "timeline"}});
    facilitator.ok("timer.start", {{"duration_s", 900}});
    Member aino(server_->port(), keys_.code, as_participant("Aino", "expert"));
    aino.ok("item.add", {{"board", "timeline"}, {"column", "event"}, {"text", "Sain oman työntekijän, joka pysyi samana"},
                         {"when", "2022-03"}, {"sector", "Koulu"}});
    aino.ok("item.add", {{"board", "timeline"}, {"column", "event"}, {"text", "Ensimmäinen verkostopalaveri"}, {"when", "2021-09"}});
    aino.ok("hand.raise");
    std::vector<std::string> screen = {"KEHA_SCREEN_KEY=" + keys_.screen_key};
    struct Wall {
        const char* theme;
        unsigned char paper[3], ink[3];
    };
    for (const Wall& w : {Wall{"default", {0xF4, 0xF1, 0xEA}, {0x27, 0x2C, 0x30}},
                          Wall{"dark", {0x10, 0x14, 0x17}, {0xEE, 0xF2, 0xF3}}, Wall{"contrast", {0, 0, 0}, {0xFF, 0xFF, 0xFF}}}) {
        facilitator.ok("room.settings", {{"wall_theme", w.theme}});
        for (const char* size : {"1920x1080", "1280x720"}) {
            std::string name = std::string("desk-wall-") + w.theme + (std::string(size) == "1280x720" ? "-720p" : "") + ".png";
            ASSERT_EQ(desk({"--projector", "--size", size}, out_ / name, screen), 0) << name;
            Picture p = load(out_ / name);
            ASSERT_GT(p.width, 0) << name;
            EXPECT_EQ(p.at(2, p.height - 3, 0), w.paper[0]) << name;
            EXPECT_EQ(p.at(2, p.height - 3, 1), w.paper[1]) << name;
            EXPECT_EQ(p.at(2, p.height - 3, 2), w.paper[2]) << name;
            EXPECT_GT(pixels_of(p, w.paper[0], w.paper[1], w.paper[2]), p.rgb.size() / 3 / 3) << name << ": mostly the wall";
            EXPECT_GT(pixels_of(p, w.ink[0], w.ink[1], w.ink[2]), 2000u) << name << ": text in the theme's ink";
        }
    }
}

// ---------------------------------------------------------------- issue 13: the time-box chime
namespace {

// ALSA's "default" device pointed at a file (the file plugin over the null device), so the
// test hears what the wall plays.
std::string alsa_into(const fs::path& dir, const fs::path& raw)
{
    fs::path conf = dir / "asoundrc";
    std::ofstream(conf) << "pcm.!default {\n  type file\n  slave.pcm { type null }\n  file \"" << raw.string()
                        << "\"\n  format \"raw\"\n}\n";
    return "ALSA_CONFIG_PATH=" + conf.string();
}

std::vector<std::int16_t> read_samples(const fs::path& raw)
{
    std::ifstream in(raw, std::ios::binary);
    std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    std::vector<std::int16_t> out(bytes.size() / 2);
    std::memcpy(out.data(), bytes.data(), out.size() * 2);
    return out;
}

class DeskChime : public DeskE2E {
protected:
    // A projector in the room (with --chime or without), a one-second time box that ends while
    // it watches; what reached the sound device by the time the chime could have been played.
    std::vector<std::int16_t> wall_hears(bool chime)
    {
        fs::path raw = dir_.path() / "out.raw", err = dir_.path() / (chime ? "chime.txt" : "quiet.txt");
        std::vector<std::string> args = {"--projector", "--server", url_, "--room", keys_.code, "--size", "1280x720"};
        if (chime) args.push_back("--chime");
        Member facilitator(server_->port(), keys_.code, with_key(keys_.facilitator_key));
        Open_desk desk(display_->display(), args,
                       {"KEHA_SCREEN_KEY=" + keys_.screen_key, alsa_into(dir_.path(), raw),
                        "XDG_STATE_HOME=" + (dir_.path() / "state").string()},
                       err);
        EXPECT_TRUE(desk.running());
        desk.wait_for_title("Kanta-H");  // in the room: the time box has not ended yet
        facilitator.ok("timer.start", {{"duration_s", 1}});
        // The chime is 1.12 s of sound after the box ends; wait for all of it, or (quiet) for
        // as long as it would take, and a moment for a second chime that must not come.
        const auto one_chime = static_cast<std::uintmax_t>(1.12 * 48000) * 2;
        auto end = std::chrono::steady_clock::now() + std::chrono::seconds(chime ? 30 : 4);
        while (std::chrono::steady_clock::now() < end) {
            std::error_code ec;
            if (fs::file_size(raw, ec) >= one_chime && !ec) break;
            std::this_thread::sleep_for(100ms);
        }
        std::this_thread::sleep_for(1500ms);
        EXPECT_EQ(desk.stop(), 0);
        EXPECT_EQ(read_text(err).find("no time-box sound"), std::string::npos) << read_text(err);
        return read_samples(raw);
    }
};

}  // namespace

// With --chime the wall plays the two-note chime once when the time box ends.
TEST_F(DeskChime, TheWallChimesOnceWhenATimeBoxEnds)
{
    auto samples = wall_hears(true);
    ASSERT_FALSE(samples.empty()) << "nothing was played";
    double sum = 0;
    for (auto v : samples) sum += static_cast<double>(v) * v;
    EXPECT_GT(std::sqrt(sum / static_cast<double>(samples.size())), 500.0) << "only silence was played";
    // Once per ending, not every frame: one chime's samples (1.12 s at 48 kHz), no more.
    EXPECT_LT(samples.size(), static_cast<std::size_t>(1.5 * 48000));
}

// Without --chime (the default) the wall stays quiet: nothing reaches the sound device.
TEST_F(DeskChime, TheWallIsQuietWithoutChime)
{
    EXPECT_TRUE(wall_hears(false).empty());
}
