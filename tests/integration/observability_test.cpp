// What an operator watches (docs/security.md "Metrics", README "keha-server"): /healthz says
// the process answers, /readyz whether it can do its work (the store writes, the assets are
// there), /metrics counts what happens in the Prometheus text format on --metrics-bind or on
// the main port with --metrics-token-file, and every log line carries its level (a syslog
// priority when stderr is the journal), with a browser going away never an error.
#include <gtest/gtest.h>

#include <boost/asio.hpp>
#include <sys/stat.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <map>
#include <optional>
#include <regex>
#include <sstream>
#include <thread>

#include "support/broken_store.hpp"
#include "support/meeting.hpp"
#include "support/small_disk.hpp"

using namespace keha::itest;
namespace fs = std::filesystem;

namespace {

// ---- the Prometheus text exposition format (version 0.0.4), read strictly ----------------

struct Sample {
    std::string name;
    std::map<std::string, std::string> labels;
    double value = 0;
};

struct Family {
    std::string help, type;
    std::vector<Sample> samples;
};

struct Exposition {
    std::map<std::string, Family> families;
    std::string text;

    // The value of the one sample with this name and these labels; fails the test without it.
    double value(const std::string& name, const std::map<std::string, std::string>& labels = {}) const
    {
        for (const auto& [family_name, family] : families)
            for (const auto& s : family.samples)
                if (s.name == name && s.labels == labels) return s.value;
        ADD_FAILURE() << "no sample " << name << " with those labels in\n" << text;
        return NAN;
    }
};

double parse_value(const std::string& text)
{
    if (text == "+Inf") return INFINITY;
    if (text == "-Inf") return -INFINITY;
    if (text == "NaN") return NAN;
    std::size_t used = 0;
    const double v = std::stod(text, &used);
    if (used != text.size()) throw std::runtime_error("not a number: " + text);
    return v;
}

// The family a sample belongs to: itself, or a histogram's name before _bucket/_sum/_count.
std::string family_of(const std::string& sample, const std::map<std::string, Family>& families)
{
    if (families.count(sample)) return sample;
    for (const char* suffix : {"_bucket", "_sum", "_count"}) {
        const std::string s(suffix);
        if (sample.size() > s.size() && sample.ends_with(s)) {
            const auto base = sample.substr(0, sample.size() - s.size());
            if (auto it = families.find(base); it != families.end() && it->second.type == "histogram") return base;
        }
    }
    return {};
}

// Parses every line; any line that breaks the format fails the test.
Exposition parse_exposition(const std::string& text)
{
    Exposition out;
    out.text = text;
    static const std::regex help_re(R"(# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) (.+))");
    static const std::regex type_re(R"(# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped))");
    static const std::regex sample_re(R"(([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([^}]*)\})? (\S+))");
    static const std::regex label_re(R"(([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)\"(,|$))");
    EXPECT_TRUE(text.empty() || text.back() == '\n') << "the text must end with a newline";
    std::istringstream in(text);
    std::string line;
    std::smatch m;
    while (std::getline(in, line)) {
        if (line.empty()) continue;
        if (std::regex_match(line, m, help_re)) {
            EXPECT_TRUE(out.families[m[1]].help.empty()) << "a second HELP for " << m[1];
            out.families[m[1]].help = m[2];
        } else if (std::regex_match(line, m, type_re)) {
            auto& family = out.families[m[1]];
            EXPECT_TRUE(family.type.empty()) << "a second TYPE for " << m[1];
            EXPECT_TRUE(family.samples.empty()) << "TYPE after the samples of " << m[1];
            family.type = m[2];
        } else if (line.starts_with("#")) {
            ADD_FAILURE() << "a comment that is neither HELP nor TYPE: " << line;
        } else if (std::regex_match(line, m, sample_re)) {
            Sample s;
            s.name = m[1];
            std::string labels = m[3];
            for (std::smatch l; !labels.empty(); labels = l.suffix()) {
                if (!std::regex_search(labels, l, label_re) || l.position(0) != 0) {
                    ADD_FAILURE() << "bad labels in: " << line;
                    break;
                }
                EXPECT_TRUE(s.labels.emplace(l[1], l[2]).second) << "a label twice in: " << line;
            }
            try {
                s.value = parse_value(m[4]);
            } catch (const std::exception& e) {
                ADD_FAILURE() << e.what() << " in: " << line;
            }
            const auto family = family_of(s.name, out.families);
            if (family.empty()) ADD_FAILURE() << "a sample before its family's TYPE: " << line;
            else out.families[family].samples.push_back(std::move(s));
        } else {
            ADD_FAILURE() << "not a line of the format: " << line;
        }
    }
    for (const auto& [name, family] : out.families) {
        EXPECT_FALSE(family.help.empty()) << name << " has no HELP";
        EXPECT_FALSE(family.type.empty()) << name << " has no TYPE";
        EXPECT_FALSE(family.samples.empty()) << name << " has no sample";
        if (family.type == "counter") {
            EXPECT_TRUE(name.ends_with("_total")) << "the counter " << name << " does not end in _total";
            for (const auto& s : family.samples) EXPECT_GE(s.value, 0) << name;
        }
        if (family.type != "histogram") continue;
        // Buckets in rising order of le, counts never falling, +Inf last and equal to _count.
        double last_le = -INFINITY, last_count = 0, count = NAN;
        bool inf = false, sum = false;
        for (const auto& s : family.samples) {
            if (s.name == name + "_bucket") {
                EXPECT_FALSE(inf) << name << ": a bucket after +Inf";
                const double le = parse_value(s.labels.at("le"));
                EXPECT_GT(le, last_le) << name << ": buckets out of order";
                EXPECT_GE(s.value, last_count) << name << ": a bucket counts fewer than the one before";
                last_le = le;
                last_count = s.value;
                inf = std::isinf(le);
            } else if (s.name == name + "_count") {
                count = s.value;
            } else if (s.name == name + "_sum") {
                sum = true;
            }
        }
        EXPECT_TRUE(inf) << name << " has no +Inf bucket";
        EXPECT_TRUE(sum) << name << " has no _sum";
        EXPECT_EQ(last_count, count) << name << ": the +Inf bucket is not _count";
    }
    return out;
}

Exposition scrape(std::uint16_t port, const std::vector<std::pair<std::string, std::string>>& headers = {})
{
    const auto answer = http_get(port, "/metrics", headers);
    EXPECT_EQ(answer.status, 200) << answer.body;
    EXPECT_EQ(answer.header("content-type"), "text/plain; version=0.0.4; charset=utf-8");
    return parse_exposition(answer.body);
}

// The port of --metrics-bind, from the line the server logs before it says it runs.
std::uint16_t metrics_port(const Server_process& server)
{
    static const std::regex re(R"(metrics_listening address=127\.0\.0\.1 port=(\d+))");
    std::smatch m;
    const std::string log = server.log_text();
    if (!std::regex_search(log, m, re)) throw std::runtime_error("no metrics_listening line in\n" + log);
    return static_cast<std::uint16_t>(std::stoi(m[1]));
}

// Scrapes until `ready` holds for a reading (a member's leaving is seen by the server a little
// after the client closes), at most 10 s; the last reading.
Exposition scrape_until(std::uint16_t port, const std::function<bool(const Exposition&)>& ready)
{
    const auto deadline = Clock::now() + 10s;
    for (;;) {
        auto e = scrape(port);
        if (ready(e) || Clock::now() > deadline) return e;
        std::this_thread::sleep_for(20ms);
    }
}

json item_add(const std::string& text) { return {{"board", "timeline"}, {"column", "event"}, {"text", text}}; }

// ---- /readyz -----------------------------------------------------------------------------

void expect_ready(std::uint16_t port)
{
    const auto ready = http_get(port, "/readyz");
    EXPECT_EQ(ready.status, 200) << ready.body;
    EXPECT_EQ(ready.body, "ready\n");
}

// 503 with one line that starts with `reason` and names no file.
void expect_not_ready(std::uint16_t port, const std::string& reason, const fs::path& dir)
{
    const auto ready = http_get(port, "/readyz");
    EXPECT_EQ(ready.status, 503) << ready.body;
    EXPECT_TRUE(ready.body.starts_with(reason)) << ready.body;
    EXPECT_EQ(std::count(ready.body.begin(), ready.body.end(), '\n'), 1) << ready.body;
    EXPECT_TRUE(ready.body.ends_with("\n")) << ready.body;
    EXPECT_EQ(ready.body.find(dir.string()), std::string::npos) << "a path in: " << ready.body;
    EXPECT_EQ(ready.body.find(".db"), std::string::npos) << "a file in: " << ready.body;
    // The process itself still answers.
    const auto alive = http_get(port, "/healthz");
    EXPECT_EQ(alive.status, 200);
    EXPECT_EQ(alive.body, "ok\n");
}

}  // namespace

TEST(Readiness, NotReadyWhileAnotherProgramHoldsTheWriteLockThenReadyAgain)
{
    Temp_dir dir;
    const auto db = dir.path() / "locked.db";
    Server_process server(db);
    const auto port = server.port();
    expect_ready(port);

    auto other = std::make_optional<Write_lock_holder>(db);
    expect_not_ready(port, "store not writable: cannot take the write lock: database is locked", dir.path());
    // Asked again, the same: the answer is found out each time, not remembered.
    expect_not_ready(port, "store not writable: ", dir.path());

    other.reset();
    expect_ready(port);
    // The checks changed nothing: meetings go on.
    const auto keys = create_room(port);
    Member p(port, keys.code, as_participant("Maija"));
    EXPECT_NE(p.ok("item.add", item_add("after the checks")), 0u);
}

TEST(Readiness, AFullDiskIsNotReadyAndReadyOnceWritingWorksAgain)
{
    ASSERT_EQ(::geteuid(), 0u) << "This test mounts a small tmpfs to fill it and must run as root "
                                  "(CI runs make test as root); run it with sudo. It is not skipped.";
    Temp_dir dir;
    Small_disk disk(dir.path() / "disk", "6m");
    Server_process server(disk.path() / "full.db", {"--rate", "100000", "--burst", "100000"});
    const auto port = server.port();
    const auto keys = create_room(port);
    Member p(port, keys.code, as_participant("Maija"));
    p.ok("item.add", item_add("before"));
    expect_ready(port);

    disk.fill();
    expect_not_ready(port, "store not writable: less than 1 MiB free on the database's disk", dir.path());
    // A write that fails on the full disk: after it, readiness waits for a real commit.
    const json refused = p.reply(p.send("item.add", item_add("refused")), 15s);
    EXPECT_EQ(refused.value("code", ""), "unavailable") << refused.dump();
    expect_not_ready(port, "store not writable: ", dir.path());

    disk.free_space();
    expect_ready(port);
    EXPECT_NE(p.ok("item.add", item_add("after")), 0u);
}

TEST(Readiness, MissingAssetsAreNotReady)
{
    Temp_dir dir;
    const auto assets = dir.path() / "assets";
    fs::copy(KEHA_TEST_ASSETS, assets, fs::copy_options::recursive);
    const auto db = dir.path() / "assets.db";
    Server_process server(db, Server_process::Exact_args{{"--port", "0", "--bind", "127.0.0.1", "--db", db.string(),
                                                          "--assets", assets.string()}});
    const auto port = server.port();
    expect_ready(port);

    fs::rename(assets / "web", dir.path() / "web-moved");
    expect_not_ready(port, "assets missing: web/", dir.path());
    fs::rename(dir.path() / "web-moved", assets / "web");
    expect_ready(port);

    fs::remove(assets / "web" / "room.html");
    expect_not_ready(port, "assets missing: web/room.html", dir.path());
}

// ---- /metrics ----------------------------------------------------------------------------

TEST(Metrics, OnItsOwnListenerTheCountsFollowTheMeeting)
{
    Temp_dir dir;
    Server_process server(dir.path() / "metrics.db", {"--metrics-bind", "127.0.0.1:0"});
    const auto port = server.port();
    const auto mport = metrics_port(server);
    ASSERT_NE(mport, port);

    // Without --metrics-token-file the main port has no /metrics; the metrics port has nothing else.
    EXPECT_EQ(http_get(port, "/metrics").status, 404);
    EXPECT_EQ(http_get(mport, "/").status, 404);
    EXPECT_EQ(http_get(mport, "/healthz").status, 404);
    EXPECT_EQ(http_request(mport, "POST", "/metrics", "{}").status, 405);

    const auto before = scrape(mport);
    for (const char* family : {"keha_rooms_loaded", "keha_members_connected", "keha_commands_applied_total",
                               "keha_commands_refused_total", "keha_oplog_commit_seconds",
                               "keha_member_queue_dropped_messages_total", "keha_slow_consumer_disconnects_total",
                               "keha_rate_limited_total", "keha_http_requests_total", "keha_store_size_bytes",
                               "keha_store_commits_total", "keha_store_pages_written_total",
                               "process_start_time_seconds"})
        EXPECT_TRUE(before.families.count(family)) << family << " missing from\n" << before.text;
    EXPECT_EQ(before.families.at("keha_oplog_commit_seconds").type, "histogram");
    EXPECT_EQ(before.value("keha_rooms_loaded"), 0);
    EXPECT_EQ(before.value("keha_members_connected"), 0);
    const double started = before.value("process_start_time_seconds");
    const double now_s = std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
    EXPECT_LE(started, now_s);
    EXPECT_GT(started, now_s - 120);

    const auto keys = create_room(port);
    Member f(port, keys.code, with_key(keys.facilitator_key));
    auto p = std::make_unique<Member>(port, keys.code, as_participant("Maija Meikäläinen"));
    Member q(port, keys.code, as_participant("Pekka"));
    constexpr int n = 7;
    for (int i = 0; i < n; ++i) p->ok("item.add", item_add("item " + std::to_string(i)));
    // A participant may not change the phase: refused with `forbidden`.
    EXPECT_EQ(q.run("phase.goto", {{"phase", "vision"}}).value("code", ""), "forbidden");

    const auto during = scrape(mport);
    EXPECT_EQ(during.value("keha_rooms_loaded"), 1);
    EXPECT_EQ(during.value("keha_members_connected"), 3);
    EXPECT_EQ(during.value("keha_commands_applied_total") - before.value("keha_commands_applied_total"), n);
    EXPECT_EQ(during.value("keha_commands_refused_total", {{"code", "forbidden"}}) -
                  before.value("keha_commands_refused_total", {{"code", "forbidden"}}),
              1);
    // Every op of the meeting (the joins too) was committed and timed.
    EXPECT_GE(during.value("keha_oplog_commit_seconds_count") - before.value("keha_oplog_commit_seconds_count"), n + 3);
    EXPECT_GT(during.value("keha_oplog_commit_seconds_sum"), 0);
    EXPECT_GE(during.value("keha_http_requests_total", {{"class", "2xx"}}), 1);  // the room's creation
    EXPECT_EQ(during.value("keha_http_requests_total", {{"class", "1xx"}}), 3);  // three WebSocket upgrades
    EXPECT_GT(during.value("keha_store_size_bytes", {{"file", "database"}}) +
                  during.value("keha_store_size_bytes", {{"file", "wal"}}),
              0);
    // Each commit writes at least the page its op went to (the page writes per commit of docs/performance.md).
    const double commits = during.value("keha_store_commits_total") - before.value("keha_store_commits_total");
    EXPECT_GE(commits, 1);
    EXPECT_GE(during.value("keha_store_pages_written_total") - before.value("keha_store_pages_written_total"), commits);
    // Nothing in the metrics names a meeting, a person or a key.
    for (const std::string& secret : {keys.code, keys.facilitator_key, keys.screen_key, std::string("Maija"),
                                      std::string("Pekka"), p->token})
        EXPECT_EQ(during.text.find(secret), std::string::npos) << secret;

    // One member leaves: the gauge follows.
    p.reset();
    const auto after = scrape_until(mport, [](const Exposition& e) { return e.value("keha_members_connected") == 2; });
    EXPECT_EQ(after.value("keha_members_connected"), 2);
}

TEST(Metrics, OnTheMainPortOnlyWithTheToken)
{
    Temp_dir dir;
    const auto token_file = dir.path() / "metrics-token";
    const std::string token = "metrics-token-4f1c9a";
    std::ofstream(token_file) << token << "\n";
    Server_process server(dir.path() / "token.db", {"--metrics-token-file", token_file.string()});
    const auto port = server.port();

    const auto without = http_get(port, "/metrics");
    EXPECT_EQ(without.status, 401) << without.body;
    EXPECT_EQ(without.header("www-authenticate"), "Bearer");
    EXPECT_EQ(without.json_body().value("error", ""), "unauthorized");
    const auto wrong = http_get(port, "/metrics", {{"Authorization", "Bearer wrong"}});
    EXPECT_EQ(wrong.status, 403);
    EXPECT_EQ(wrong.json_body().value("error", ""), "forbidden") << "403 is forbidden, never unauthorized (docs/protocol.md §2)";
    EXPECT_EQ(http_get(port, "/metrics", {{"Authorization", "Bearer " + token + "x"}}).status, 403);
    EXPECT_EQ(http_get(port, "/metrics", {{"Authorization", token}}).status, 403);

    const auto e = scrape(port, {{"Authorization", "Bearer " + token}});
    EXPECT_EQ(e.value("keha_members_connected"), 0);
    // The refusals above were answered and counted.
    EXPECT_GE(e.value("keha_http_requests_total", {{"class", "4xx"}}), 4);
    EXPECT_EQ(server.log_text().find(token), std::string::npos);
    EXPECT_EQ(server.log_text().find("metrics_listening"), std::string::npos);
}

TEST(Metrics, RateLimitRefusalsAreCountedByLimit)
{
    Temp_dir dir;
    Server_process server(dir.path() / "rate.db",
                          {"--metrics-bind", "127.0.0.1:0", "--rate", "0.5", "--burst", "3", "--rooms-per-hour", "1"});
    const auto port = server.port();
    const auto mport = metrics_port(server);
    const auto before = scrape(mport);

    // Per address: the second room this hour is refused.
    const auto keys = create_room(port);
    EXPECT_EQ(http_request(port, "POST", "/api/rooms", json{{"title", "Second"}}.dump(),
                           {{"Content-Type", "application/json"}})
                  .status,
              429);

    // Per member: pings past the burst are refused with rate_limited; every one is counted.
    Member p(port, keys.code, as_participant("Maija"));
    constexpr int pings = 10;
    for (int i = 0; i < pings; ++i) p.ws.send(json{{"type", "ping"}, {"t", i}});
    int refused = 0;
    for (int i = 0; i < pings; ++i) {
        const json m = p.next();
        if (m.value("type", "") == "error") {
            EXPECT_EQ(m.value("code", ""), "rate_limited") << m.dump();
            ++refused;
        }
    }
    EXPECT_GT(refused, 0);

    const auto after = scrape(mport);
    const auto limited = [&](const Exposition& e, const char* limit) {
        return e.value("keha_rate_limited_total", {{"limit", limit}});
    };
    EXPECT_EQ(limited(after, "member_rate") - limited(before, "member_rate"), refused);
    EXPECT_EQ(limited(after, "rooms_per_hour") - limited(before, "rooms_per_hour"), 1);
    EXPECT_EQ(limited(after, "connections_per_address"), 0);
}

TEST(Metrics, ASlowConsumerIsCounted)
{
    Temp_dir dir;
    Server_process server(dir.path() / "slow.db", {"--metrics-bind", "127.0.0.1:0", "--queue-limit", "64", "--rate",
                                                   "100000", "--burst", "100000", "--participant-bytes", "0",
                                                   "--room-bytes", "0", "--room-items", "0"});
    const auto port = server.port();
    const auto mport = metrics_port(server);
    const auto keys = create_room(port);
    Member p(port, keys.code, as_participant("Sender"));
    // The stuck laptop: says hello, then never reads, with a small receive buffer.
    Ws_client stuck(port, {.read = false, .receive_buffer = 4096});
    stuck.send(hello_message(keys.code, as_participant("Stuck")));
    EXPECT_EQ(scrape_until(mport, [](const Exposition& e) { return e.value("keha_members_connected") == 2; })
                  .value("keha_members_connected"),
              2);

    // Big items until the server's queue for the stuck member overflows (the kernel's buffers
    // take a few MiB first).
    const std::string filler(1900, 'x');
    Exposition e = scrape(mport);
    EXPECT_EQ(e.value("keha_slow_consumer_disconnects_total"), 0);
    for (int round = 0; round < 200 && e.value("keha_slow_consumer_disconnects_total") == 0; ++round) {
        std::vector<std::string> ids;
        for (int i = 0; i < 20; ++i) ids.push_back(p.send("item.add", item_add(std::to_string(i) + " " + filler)));
        for (const auto& id : ids) ASSERT_EQ(p.reply(id, 10s).value("type", ""), "ack");
        p.messages.clear();
        p.patches.clear();
        e = scrape(mport);
    }
    EXPECT_EQ(e.value("keha_slow_consumer_disconnects_total"), 1);
    // The queue was full: what waited in it (64, one of them maybe being written) and the
    // message that did not fit.
    EXPECT_GE(e.value("keha_member_queue_dropped_messages_total"), 64);
    const auto gone = scrape_until(mport, [](const Exposition& x) { return x.value("keha_members_connected") == 1; });
    EXPECT_EQ(gone.value("keha_members_connected"), 1);
}

// ---- log levels ----------------------------------------------------------------------------

namespace {

// Connections that end as browsers end them: a request cut off halfway, a socket opened and
// closed, a WebSocket whose TCP connection just goes.
void leave_rudely(std::uint16_t port, const std::string& code)
{
    namespace asio = boost::asio;
    asio::io_context ioc;
    const asio::ip::tcp::endpoint at(asio::ip::make_address("127.0.0.1"), port);
    {
        asio::ip::tcp::socket s(ioc);
        s.connect(at);
        asio::write(s, asio::buffer(std::string("POST /api/rooms HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"ti")));
    }
    {
        asio::ip::tcp::socket s(ioc);
        s.connect(at);
        // Reset instead of a polite FIN.
        s.set_option(asio::socket_base::linger(true, 0));
    }
    {
        Ws_client ws(port);
        ws.send(hello_message(code, as_participant("Leaving")));
        ws.recv();
        // The client goes without a close frame.
    }
}

std::vector<std::string> lines_of(const std::string& text)
{
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
}

bool wait_for_log(const Server_process& server, const std::string& what)
{
    const auto deadline = Clock::now() + 10s;
    while (server.log_text().find(what) == std::string::npos) {
        if (Clock::now() > deadline) return false;
        std::this_thread::sleep_for(20ms);
    }
    return true;
}

}  // namespace

TEST(LogLevels, EveryLineHasALevelAndAnOrdinaryDisconnectIsNoError)
{
    Temp_dir dir;
    Server_process server(dir.path() / "log.db", {"--log-level", "debug"});
    const auto port = server.port();
    const auto keys = create_room(port);
    leave_rudely(port, keys.code);
    // Seen, at debug: the request cut off and the WebSocket gone.
    ASSERT_TRUE(wait_for_log(server, " debug http_closed read: partial message")) << server.log_text();
    ASSERT_TRUE(wait_for_log(server, " debug ws_closed ")) << server.log_text();
    ASSERT_TRUE(wait_for_log(server, " info room_created ")) << server.log_text();

    static const std::regex line_re(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z (error|warning|info|debug) [a-z_]+( .*)?)");
    for (const auto& line : lines_of(server.log_text())) {
        EXPECT_TRUE(std::regex_match(line, line_re)) << "a line without its level: " << line;
        EXPECT_EQ(line.find(" error "), std::string::npos) << "an ordinary disconnect logged as an error: " << line;
    }

    // At the default level the disconnects are not written at all.
    Server_process quiet(dir.path() / "quiet.db");
    leave_rudely(quiet.port(), create_room(quiet.port()).code);
    create_room(quiet.port());  // a last request, logged after the disconnects were handled
    ASSERT_TRUE(wait_for_log(quiet, " info room_created ")) << quiet.log_text();
    EXPECT_EQ(quiet.log_text().find(" debug "), std::string::npos) << quiet.log_text();
}

TEST(LogLevels, UnderTheJournalEachLineStartsWithItsSyslogPriority)
{
    Temp_dir dir;
    // The server's stderr will be this file (Server_process appends to db + ".log"): systemd
    // would name its journal stream the same way, "device:inode".
    const auto db = dir.path() / "journal.db";
    const auto log = fs::path(db.string() + ".log");
    std::ofstream(log).close();
    struct stat st {};
    ASSERT_EQ(::stat(log.c_str(), &st), 0);
    ::setenv("JOURNAL_STREAM", (std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino)).c_str(), 1);
    std::optional<Server_process> server;
    try {
        server.emplace(db, std::vector<std::string>{"--log-level", "debug", "--organizer-key", "on-the-command-line"});
    } catch (...) {
        ::unsetenv("JOURNAL_STREAM");
        throw;
    }
    // A server started with the variable naming another stream writes words.
    ::setenv("JOURNAL_STREAM", "1:1", 1);
    Server_process elsewhere(dir.path() / "elsewhere.db");
    ::unsetenv("JOURNAL_STREAM");

    const auto port = server->port();
    const auto created = http_request(port, "POST", "/api/rooms", json{{"title", "Journal"}}.dump(),
                                      {{"Content-Type", "application/json"}, {"Authorization", "Bearer on-the-command-line"}});
    ASSERT_EQ(created.status, 201) << created.body;
    leave_rudely(port, created.json_body().value("code", ""));
    ASSERT_TRUE(wait_for_log(*server, "<7>ws_closed ")) << server->log_text();

    // journald keeps the time: the line is the priority, the event and its detail.
    const std::string text = server->log_text();
    for (const auto& line : lines_of(text)) {
        static const std::regex line_re(R"(<[3467]>[a-z_]+( .*)?)");
        EXPECT_TRUE(std::regex_match(line, line_re)) << "not a journal line: " << line;
    }
    EXPECT_NE(text.find("<4>organizer_key_on_command_line "), std::string::npos) << text;  // warning
    EXPECT_NE(text.find("<6>listening port="), std::string::npos) << text;                  // info
    EXPECT_NE(text.find("<6>room_created "), std::string::npos) << text;
    EXPECT_NE(text.find("<7>http_closed "), std::string::npos) << text;                     // debug
    EXPECT_EQ(text.find("<3>"), std::string::npos) << text;                                 // no error

    ASSERT_TRUE(wait_for_log(elsewhere, " info listening port=")) << elsewhere.log_text();
    EXPECT_EQ(elsewhere.log_text().find("<6>"), std::string::npos) << elsewhere.log_text();
}
