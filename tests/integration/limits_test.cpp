// The server's limits against abuse (docs/security.md, "Limits" and "Guessing room codes"),
// each shown on a real keha-server: the abuser is refused in the way the table says, the
// refusal is logged in a bounded number of lines, and a meeting in another room goes on as
// before — its command round trip (p90) is measured before and during the abuse and must
// stay under a generous bound. That is a check that rooms are isolated, not a benchmark.
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <boost/beast/http.hpp>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

#include "support/meeting.hpp"

using namespace keha::itest;
namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace websocket = boost::beast::websocket;
using tcp = net::ip::tcp;

namespace {

// Between two requests of an abuser: about 1,000 a second, far past every limit, while the
// abusing client (on this machine, unlike a real one) leaves the server some of the CPU.
constexpr auto abuse_gap = 500us;

json timeline_item(const std::string& text) { return {{"board", "timeline"}, {"column", "event"}, {"text", text}}; }

// A meeting in a room of its own, whose facilitator edits one item again and again.
class Probe {
public:
    explicit Probe(std::uint16_t port)
        : keys_(create_room(port)), member_(port, keys_.code, with_key(keys_.facilitator_key))
    {
        item_ = "i" + std::to_string(member_.ok("item.add", timeline_item("probe")));
    }

    // The 90th percentile of `n` command round trips (sent, acknowledged), `gap` apart.
    double p90_ms(int n, std::chrono::milliseconds gap = 20ms)
    {
        std::vector<double> ms;
        for (int i = 0; i < n; ++i) {
            const auto start = Clock::now();
            member_.ok("item.edit", {{"board", "timeline"}, {"id", item_}, {"text", "probe " + std::to_string(i)}});
            ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
            std::this_thread::sleep_for(gap);
        }
        std::sort(ms.begin(), ms.end());
        return ms[static_cast<std::size_t>(0.9 * static_cast<double>(ms.size() - 1))];
    }

private:
    Room_keys keys_;
    Member member_;
    std::string item_;
};

// The other room stays responsive: generous, so only a room that waits on the abuse fails it.
void expect_isolated(const char* what, double before_ms, double during_ms)
{
    std::printf("[figures] %s: other room's command round trip p90 %.2f ms before, %.2f ms during\n", what, before_ms,
                during_ms);
    ::testing::Test::RecordProperty(std::string(what) + "_p90_before_ms", std::to_string(before_ms));
    ::testing::Test::RecordProperty(std::string(what) + "_p90_during_ms", std::to_string(during_ms));
    EXPECT_LT(during_ms, std::max(100.0, 5 * before_ms)) << what;
}

// Runs `abuse` on a thread until the probe has measured, then until it returns.
template <class F>
double p90_during(Probe& probe, F abuse, int n = 30, std::chrono::milliseconds gap = 20ms)
{
    std::atomic<bool> stop{false};
    std::thread t([&] {
        try {
            abuse(stop);
        } catch (const std::exception& e) {
            ADD_FAILURE() << "the abuse itself failed: " << e.what();
        }
    });
    std::this_thread::sleep_for(100ms);  // the abuse is under way
    double p90 = 0;
    try {
        p90 = probe.p90_ms(n, gap);
    } catch (...) {
        stop = true;
        t.join();
        throw;
    }
    stop = true;
    t.join();
    return p90;
}

// One HTTP/1.1 request from a chosen loopback source address (127.0.0.2 is another client).
Http_answer http_from(const std::string& source, std::uint16_t port, const std::string& method,
                      const std::string& target, const std::string& body = {})
{
    net::io_context ioc;
    beast::tcp_stream stream(ioc);
    stream.socket().open(tcp::v4());
    stream.socket().bind(tcp::endpoint(net::ip::make_address(source), 0));
    stream.expires_after(std::chrono::seconds(10));
    stream.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
    http::request<http::string_body> req{http::string_to_verb(method), target, 11};
    req.set(http::field::host, "127.0.0.1");
    if (method == "POST") req.set(http::field::content_type, "application/json");
    req.body() = body;
    req.keep_alive(false);
    req.prepare_payload();
    http::write(stream, req);
    beast::flat_buffer buffer;
    http::response<http::string_body> res;
    http::read(stream, buffer, res);
    Http_answer out;
    out.status = static_cast<int>(res.result_int());
    if (res.count(http::field::retry_after)) out.headers["retry-after"] = std::string(res[http::field::retry_after]);
    out.body = res.body();
    return out;
}

int count_lines(const std::string& log, const std::string& needle)
{
    std::istringstream in(log);
    std::string line;
    int n = 0;
    while (std::getline(in, line))
        if (line.find(needle) != std::string::npos) ++n;
    return n;
}

std::string random_code(std::mt19937& rng)
{
    static const std::string alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
    std::string code;
    for (int i = 0; i < 8; ++i) code.push_back(alphabet[rng() % alphabet.size()]);
    return code;
}

}  // namespace

TEST(Limits, GuessingRoomCodesIsThrottledPerAddressAndLoggedWithoutTheCodes)
{
    Temp_dir dir;
    Server_process server(dir.path() / "codes.db", {"--code-tries", "5", "--code-tries-per-minute", "6"});
    const auto port = server.port();
    const auto real = create_room(port);
    Probe probe(port);
    const double before = probe.p90_ms(30);

    std::mt19937 rng(9);
    std::vector<std::string> tried;
    std::vector<Http_answer> answers;
    const double during = p90_during(probe, [&](std::atomic<bool>& stop) {
        while (!stop || answers.size() < 50) {
            tried.push_back(random_code(rng));
            answers.push_back(http_get(port, "/api/rooms/" + tried.back()));
            std::this_thread::sleep_for(abuse_gap);
        }
    });
    expect_isolated("code_guessing", before, during);
    std::printf("[figures] code_guessing: %zu tries over HTTP from one address\n", answers.size());

    // The first five wrong codes are answered; every later try is refused before any lookup.
    for (std::size_t i = 0; i < answers.size(); ++i) {
        if (i < 5) {
            EXPECT_EQ(answers[i].status, 404) << i;
            EXPECT_EQ(answers[i].json_body().value("error", ""), "unknown_room");
        } else {
            ASSERT_EQ(answers[i].status, 429) << i << " " << answers[i].body;
            EXPECT_EQ(answers[i].json_body().value("error", ""), "rate_limited");
            EXPECT_GE(std::stoi(answers[i].header("retry-after")), 1);
        }
    }
    // The right code from the same address is refused too while it waits: the limit is not
    // an oracle. Over WebSocket the same address is refused with retry_after.
    EXPECT_EQ(http_get(port, "/api/rooms/" + real.code).status, 429);
    EXPECT_EQ(http_get(port, "/api//rooms/" + real.code + "/qr.svg").status, 429);  // however the path is spelled
    auto hello = hello_answer(port, hello_message(tried.front(), as_participant("Guess")));
    ASSERT_TRUE(hello.message);
    EXPECT_EQ((*hello.message)["code"], "rate_limited") << hello.message->dump();
    EXPECT_GE((*hello.message)["retry_after"].get<int>(), 1);
    EXPECT_TRUE(hello.closed);

    // Another address is not held up by this one.
    EXPECT_EQ(http_from("127.0.0.2", port, "GET", "/api/rooms/" + real.code).status, 200);
    EXPECT_EQ(http_from("127.0.0.2", port, "GET", "/api/rooms/" + tried.back()).status, 404);

    // Logged: each wrong code as a count, the run of refusals once; never a code tried.
    const std::string log = server.log_text();
    EXPECT_EQ(count_lines(log, "wrong_room_code address=127.0.0.1 "), 5) << log;
    EXPECT_EQ(count_lines(log, "room_code_throttled address=127.0.0.1 "), 1) << log;
    EXPECT_NE(log.find("wrong_room_code address=127.0.0.1 wrong_codes=5"), std::string::npos) << log;
    EXPECT_EQ(count_lines(log, "wrong_room_code address=127.0.0.2 wrong_codes=1"), 1) << log;
    for (const auto& code : tried) ASSERT_EQ(log.find(code), std::string::npos) << code;
}

TEST(Limits, AddressesThatMissedShareAServerWideAllowanceAndAFirstTryIsNeverHeldUp)
{
    Temp_dir dir;
    Server_process server(dir.path() / "global.db", {"--code-tries", "3", "--code-tries-global", "4",
                                                     "--code-tries-global-per-s", "0.01"});
    const auto port = server.port();
    const auto real = create_room(port);
    std::mt19937 rng(4);
    for (int i = 0; i < 3; ++i) EXPECT_EQ(http_from("127.0.0.2", port, "GET", "/api/rooms/" + random_code(rng)).status, 404);
    EXPECT_EQ(http_from("127.0.0.2", port, "GET", "/api/rooms/" + random_code(rng)).status, 429);
    // 127.0.0.3 has missed once and then finds the server-wide allowance used up...
    EXPECT_EQ(http_from("127.0.0.3", port, "GET", "/api/rooms/" + random_code(rng)).status, 404);
    auto refused = http_from("127.0.0.3", port, "GET", "/api/rooms/" + real.code);
    EXPECT_EQ(refused.status, 429);
    EXPECT_GE(std::stoi(refused.headers["retry-after"]), 50);  // 0.01 a second: one in 100 s
    // ...while an address that never missed still gets its answer at once.
    EXPECT_EQ(http_from("127.0.0.4", port, "GET", "/api/rooms/" + real.code).status, 200);
}

TEST(Limits, TooManyConnectionsFromOneAddressAreRefusedUntilSomeClose)
{
    Temp_dir dir;
    Server_process server(dir.path() / "conns.db", {"--max-connections-per-address", "12"});
    const auto port = server.port();
    Probe probe(port);  // holds one connection of 127.0.0.1
    const double before = probe.p90_ms(30);

    std::vector<std::unique_ptr<Ws_client>> open;
    for (int i = 0; i < 11; ++i) open.push_back(std::make_unique<Ws_client>(port));
    // The twelfth and later: a 429 with Retry-After, to plain requests and upgrades alike.
    int refused = 0, attempts = 0;
    const double during = p90_during(probe, [&](std::atomic<bool>& stop) {
        while (!stop || attempts < 20) {
            ++attempts;
            auto a = http_get(port, "/healthz");
            if (a.status == 429 && a.json_body().value("error", "") == "rate_limited" && !a.header("retry-after").empty())
                ++refused;
            std::this_thread::sleep_for(abuse_gap);
        }
    });
    expect_isolated("connections", before, during);
    EXPECT_EQ(refused, attempts);
    EXPECT_THROW(Ws_client ws(port), std::exception);
    EXPECT_EQ(http_from("127.0.0.2", port, "GET", "/healthz").status, 200);  // another address

    open.pop_back();
    const auto deadline = Clock::now() + 5s;
    int status = 0;
    while (Clock::now() < deadline && (status = http_get(port, "/healthz").status) != 200) std::this_thread::sleep_for(50ms);
    EXPECT_EQ(status, 200);

    const std::string log = server.log_text();
    EXPECT_GE(count_lines(log, "connections_refused address=127.0.0.1 open=12"), 1) << log;
    EXPECT_LE(count_lines(log, "connections_refused address=127.0.0.1"), 2) << log;  // once per run, not per refusal
}

TEST(Limits, RoomsAndProcessesCreatedPerHourAreLimitedPerAddress)
{
    Temp_dir dir;
    Server_process server(dir.path() / "rooms.db", {"--rooms-per-hour", "4", "--processes-per-hour", "2"});
    const auto port = server.port();
    Probe probe(port);  // the first room of 127.0.0.1
    const double before = probe.p90_ms(30);

    // A refused body creates nothing and costs nothing of the allowance.
    EXPECT_EQ(http_request(port, "POST", "/api/rooms", R"({"title":""})").status, 400);
    std::vector<int> statuses;
    Http_answer last;
    const double during = p90_during(probe, [&](std::atomic<bool>& stop) {
        while (!stop || statuses.size() < 10) {
            last = http_request(port, "POST", "/api/rooms", R"({"title":"Flood"})");
            statuses.push_back(last.status);
            std::this_thread::sleep_for(abuse_gap);
        }
    });
    expect_isolated("room_creation", before, during);
    ASSERT_GE(statuses.size(), 4u);
    EXPECT_EQ(std::count(statuses.begin(), statuses.end(), 201), 3);
    EXPECT_EQ(std::count(statuses.begin(), statuses.end(), 429), static_cast<long>(statuses.size()) - 3);
    EXPECT_EQ(last.json_body().value("error", ""), "rate_limited");
    EXPECT_GE(std::stoi(last.header("retry-after")), 600);  // four an hour: the next in 15 minutes
    EXPECT_EQ(http_request(port, "POST", "/api//rooms/", R"({"title":"Flood"})").status, 429);

    for (int i = 0; i < 2; ++i)
        EXPECT_EQ(http_request(port, "POST", "/api/processes", R"({"title":"P"})").status, 201);
    EXPECT_EQ(http_request(port, "POST", "/api/processes", R"({"title":"P"})").status, 429);
    EXPECT_EQ(http_from("127.0.0.2", port, "POST", "/api/rooms", R"({"title":"Elsewhere"})").status, 201);
    EXPECT_EQ(count_lines(server.log_text(), "rooms_per_hour_reached address=127.0.0.1"), 1);
}

TEST(Limits, AParticipantFloodingBigItemsStopsAtTheByteLimitWhileOthersGoOn)
{
    Temp_dir dir;
    Server_process server(dir.path() / "bytes.db",
                          {"--participant-bytes", "60000", "--room-bytes", "150000", "--rate", "100", "--burst", "100"});
    const auto port = server.port();
    Probe probe(port);
    const double before = probe.p90_ms(30);

    auto keys = create_room(port);
    Member flooder(port, keys.code, as_participant("Flooder"));
    const std::string big(2000, 'x');
    int acks = 0;
    json refusal;
    const double during = p90_during(probe, [&](std::atomic<bool>& stop) {
        while (!stop || refusal.is_null()) {
            json r = flooder.run("item.add", timeline_item(big));
            if (r["type"] == "ack") ++acks;
            else if (refusal.is_null()) refusal = r;
            if (acks > 100) break;  // the limit did not hold
            std::this_thread::sleep_for(12ms);  // inside the message rate
        }
    });
    expect_isolated("participant_bytes", before, during);
    std::printf("[figures] participant_bytes: %d items of 2000 characters before limit_reached\n", acks);
    ASSERT_FALSE(refusal.is_null());
    EXPECT_EQ(refusal["code"], "limit_reached") << refusal.dump();
    EXPECT_GE(acks, 20);  // each patch is a little over 2 KB: 60000 bytes hold about 28
    EXPECT_LE(acks, 30);
    EXPECT_FALSE(flooder.ws.closed());

    // The room's own limit: other participants write until the room is full; the facilitator
    // can always go on (and close the meeting).
    Member other(port, keys.code, as_participant("Other"));
    other.ok("item.add", timeline_item("still mine"));
    Member more(port, keys.code, as_participant("More"));
    json last = json::object();
    for (int i = 0; i < 100 && last.value("type", "") != "error"; ++i) {
        last = (i % 2 ? other : more).run("item.add", timeline_item(big));
    }
    EXPECT_EQ(last.value("code", ""), "limit_reached") << last.dump();
    Member facilitator(port, keys.code, with_key(keys.facilitator_key));
    facilitator.ok("item.add", timeline_item("the facilitator's note"));

    // Restarted, the server counts what is stored: the flooder is still over its share.
    server.signal(SIGTERM);
    ASSERT_TRUE(server.wait_exit(10s));
    Server_process again(server.db(), {"--participant-bytes", "60000", "--room-bytes", "10000000"});
    Member back(again.port(), keys.code, with_token(flooder.token));
    EXPECT_EQ(back.run("item.add", timeline_item("again"))["code"], "limit_reached");
    Member fresh(again.port(), keys.code, as_participant("Fresh"));
    fresh.ok("item.add", timeline_item("a newcomer still has room"));
}

TEST(Limits, ItemsMembersAndParticipantsPerRoomAreLimited)
{
    Temp_dir dir;
    Server_process server(dir.path() / "items.db", {"--room-items", "12", "--room-members", "3", "--room-participants", "5"});
    const auto port = server.port();
    Probe probe(port);
    const double before = probe.p90_ms(30);

    auto keys = create_room(port);
    Member a(port, keys.code, as_participant("A"));
    Member b(port, keys.code, as_participant("B"));
    std::vector<std::uint64_t> seqs;
    json refusal;
    const double during = p90_during(probe, [&](std::atomic<bool>& stop) {
        while (!stop || refusal.is_null()) {
            json r = (seqs.size() % 2 ? a : b).run("item.add", timeline_item("item " + std::to_string(seqs.size())));
            if (r["type"] == "ack") seqs.push_back(r["seq"]);
            else if (refusal.is_null()) refusal = r;
            if (seqs.size() > 20) break;
            std::this_thread::sleep_for(5ms);
        }
    });
    expect_isolated("room_items", before, during);
    EXPECT_EQ(seqs.size(), 12u);
    EXPECT_EQ(refusal.value("code", ""), "limit_reached") << refusal.dump();
    // Deleting one makes room for one.
    Member facilitator(port, keys.code, with_key(keys.facilitator_key));
    facilitator.ok("item.delete", {{"board", "timeline"}, {"id", "i" + std::to_string(seqs.front())}});
    a.ok("item.add", timeline_item("one more"));
    EXPECT_EQ(a.run("item.add", timeline_item("too many"))["code"], "limit_reached");

    // Three participant connections at once; a facilitator still gets in.
    Member c(port, keys.code, as_participant("C"));
    auto fourth = hello_answer(port, hello_message(keys.code, as_participant("D")));
    ASSERT_TRUE(fourth.message);
    EXPECT_EQ((*fourth.message)["code"], "limit_reached") << fourth.message->dump();
    EXPECT_TRUE(fourth.closed);
    Member facilitator2(port, keys.code, with_key(keys.facilitator_key));

    // Five may ever join as participants: A, B, C; D's refused try did not count; E and F
    // fit, G does not. Facilitators do not count.
    c.ws.close();
    b.ws.close();
    std::this_thread::sleep_for(300ms);  // the room has seen them leave
    Member e(port, keys.code, as_participant("E"));
    Member f(port, keys.code, as_participant("F"));
    e.ws.close();
    f.ws.close();
    std::this_thread::sleep_for(300ms);
    auto seventh = hello_answer(port, hello_message(keys.code, as_participant("G")));
    ASSERT_TRUE(seventh.message);
    EXPECT_EQ((*seventh.message)["code"], "limit_reached") << seventh.message->dump();
    // Someone who joined before comes back with their token.
    Member back(port, keys.code, with_token(c.token));
    EXPECT_EQ(back.you, c.you);
}

TEST(Limits, BinaryAndNonJsonFramesCountAgainstTheRate)
{
    Temp_dir dir;
    Server_process server(dir.path() / "frames.db", {"--rate", "5", "--burst", "10"});
    const auto port = server.port();
    Probe probe(port);
    const double before = probe.p90_ms(8, 250ms);  // the probe itself keeps to 5 a second

    auto keys = create_room(port);
    for (bool binary : {true, false}) {
        Member m(port, keys.code, as_participant(binary ? "Binary" : "Text"));
        std::vector<json> answers;
        bool bye = false;
        const double during = p90_during(
            probe,
            [&](std::atomic<bool>&) {
                net::io_context ioc;
                // Frames the test client cannot send as JSON: its own raw connection.
                websocket::stream<beast::tcp_stream> ws(ioc);
                beast::get_lowest_layer(ws).connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
                ws.handshake("127.0.0.1", "/ws");
                ws.text(true);
                ws.write(net::buffer(hello_message(keys.code, with_token(m.token)).dump()));
                beast::flat_buffer buf;
                ws.read(buf);  // the welcome
                buf.consume(buf.size());
                ws.binary(binary);
                for (int i = 0; i < 80; ++i) ws.write(net::buffer(binary ? std::string("\x01\x02\x03", 3) : std::string("not json")));
                beast::get_lowest_layer(ws).expires_after(5s);
                beast::error_code ec;
                while (!ec && !bye) {
                    ws.read(buf, ec);
                    if (ec) break;
                    auto msg = json::parse(beast::buffers_to_string(buf.data()), nullptr, false);
                    buf.consume(buf.size());
                    if (msg.value("type", "") == "bye") bye = msg["reason"] == "rate_limited";
                    else answers.push_back(msg);
                }
            },
            8, 250ms);
        expect_isolated(binary ? "binary_frames" : "non_json_frames", before, during);
        EXPECT_TRUE(bye) << (binary ? "binary" : "text");
        const auto limited = std::count_if(answers.begin(), answers.end(), [](const json& a) {
            return a.value("type", "") == "error" && a.value("code", "") == "rate_limited";
        });
        EXPECT_GE(limited, 40) << (binary ? "binary" : "text");
    }
}

TEST(Limits, AcceptPausesWhenFileDescriptorsRunOutAndAnswersAgainOnceTheyAreFree)
{
    Temp_dir dir;
    Server_process server(dir.path() / "fds.db");
    // The server raises its own limit as it starts (startup.cpp): lowered from outside once
    // it runs, as an operator's prlimit would.
    rlimit low{};
    ASSERT_EQ(prlimit(server.pid(), RLIMIT_NOFILE, nullptr, &low), 0);
    low.rlim_cur = 64;
    ASSERT_EQ(prlimit(server.pid(), RLIMIT_NOFILE, &low, nullptr), 0);
    const auto port = server.port();
    Probe probe(port);
    const double before = probe.p90_ms(30);

    net::io_context ioc;
    std::vector<tcp::socket> held;
    const auto lines_before = count_lines(server.log_text(), "");
    const double during = p90_during(probe, [&](std::atomic<bool>& stop) {
        // Far more connections than the server has descriptors: the rest wait in the backlog.
        for (int i = 0; i < 120; ++i) {
            tcp::socket s(ioc);
            s.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
            held.push_back(std::move(s));
        }
        while (!stop) std::this_thread::sleep_for(10ms);
    });
    std::this_thread::sleep_for(2s);  // a spinning accept loop would log thousands of lines by now
    const std::string log = server.log_text();
    const auto lines = count_lines(log, "") - lines_before;
    std::printf("[figures] fd_exhaustion: %d log lines while out of descriptors\n", lines);
    RecordProperty("fd_exhaustion_log_lines", lines);
    expect_isolated("fd_exhaustion", before, during);
    EXPECT_EQ(count_lines(log, "accept_error"), 1) << log;
    EXPECT_LE(lines, 10) << log;

    held.clear();
    const auto deadline = Clock::now() + 10s;
    int status = 0;
    while (Clock::now() < deadline) {
        try {
            status = http_get(port, "/healthz").status;
        } catch (const std::exception&) {
        }
        if (status == 200) break;
        std::this_thread::sleep_for(100ms);
    }
    EXPECT_EQ(status, 200);
    EXPECT_EQ(count_lines(server.log_text(), "accept_resumed"), 1);
    EXPECT_LT(probe.p90_ms(10), std::max(100.0, 5 * before));
}
