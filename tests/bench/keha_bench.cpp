// keha-bench: starts a real keha-server and measures it against the project's performance targets
// from a load generator on the same machine. Prints figures; never fails on them.
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <deque>
#include <thread>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "keha/json.hpp"
#include "keha/notes.hpp"

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = net::ip::tcp;
using keha::json;
using Clock = std::chrono::steady_clock;

namespace {

std::int64_t now_ns() { return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch()).count(); }

struct Server {
    pid_t pid = -1;
    unsigned short port = 0;

    Server(const std::string& db, std::vector<std::string> extra)
    {
        int out[2];
        if (pipe(out) != 0) throw std::runtime_error("pipe");
        pid = fork();
        if (pid == 0) {
            dup2(out[1], 1);
            close(out[0]);
            std::vector<std::string> args{KEHA_SERVER_BIN, "--port", "0", "--bind", "127.0.0.1", "--db", db,
                                          "--rate", "1000000", "--burst", "1000000", "--queue-limit", "100000",
                                          // one loopback address plays every laptop: no per-address limits
                                          "--max-connections-per-address", "0", "--rooms-per-hour", "0",
                                          "--room-members", "0", "--room-participants", "0"};
            args.insert(args.end(), extra.begin(), extra.end());
            std::vector<char*> argv;
            for (auto& a : args) argv.push_back(a.data());
            argv.push_back(nullptr);
            freopen("/dev/null", "w", stderr);
            execv(argv[0], argv.data());
            _exit(127);
        }
        close(out[1]);
        std::string line;
        char c;
        while (read(out[0], &c, 1) == 1 && c != '\n') line += c;
        close(out[0]);
        auto at = line.find("http://");
        auto colon = at == std::string::npos ? at : line.find(':', at + 7);
        if (colon == std::string::npos) throw std::runtime_error("keha-server did not start: " + line);
        port = static_cast<unsigned short>(std::stoi(line.substr(colon + 1)));
    }
    ~Server()
    {
        kill(pid, SIGTERM);
        int status;
        waitpid(pid, &status, 0);
    }
    long rss_kib() const
    {
        std::ifstream in("/proc/" + std::to_string(pid) + "/status");
        std::string key;
        long value;
        while (in >> key) {
            if (key == "VmRSS:") return in >> value, value;
            in.ignore(1 << 12, '\n');
        }
        return 0;
    }
};

json http_call(unsigned short port, http::verb verb, const std::string& target, const std::string& body = {},
               const std::string& bearer = {}, std::string* raw = nullptr)
{
    net::io_context ioc;
    beast::tcp_stream stream(ioc);
    stream.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
    http::request<http::string_body> req{verb, target, 11};
    req.set(http::field::host, "127.0.0.1");
    if (!bearer.empty()) req.set(http::field::authorization, "Bearer " + bearer);
    req.body() = body;
    req.prepare_payload();
    http::write(stream, req);
    beast::flat_buffer buffer;
    http::response<http::string_body> res;
    http::read(stream, buffer, res);
    if (raw) *raw = res.body();
    auto parsed = json::parse(res.body(), nullptr, false);
    return parsed;
}

struct Room_keys {
    std::string code, facilitator, screen;
};

Room_keys create_room(unsigned short port, const std::string& title)
{
    json r = http_call(port, http::verb::post, "/api/rooms", json{{"title", title}}.dump());
    return {r["code"], r["facilitator_key"], r["screen_key"]};
}

// One WebSocket member on the load generator's io_context.
class Member : public std::enable_shared_from_this<Member> {
public:
    std::function<void(const std::string&)> on_message;  // every message after the welcome
    std::function<void(const std::string&)> on_welcome;
    bool welcomed = false;
    bool read_messages = true;

    Member(net::io_context& ioc) : ws_(net::make_strand(ioc)), resolver_(ioc) {}

    void start(unsigned short port, json hello)
    {
        hello_ = hello.dump();
        beast::get_lowest_layer(ws_).async_connect(
            tcp::endpoint(net::ip::make_address("127.0.0.1"), port), [self = shared_from_this()](beast::error_code ec) {
                if (ec) return self->failed("connect", ec);
                beast::get_lowest_layer(self->ws_).socket().set_option(tcp::no_delay(true));
                self->ws_.async_handshake("127.0.0.1", "/ws", [self](beast::error_code ec) {
                    if (ec) return self->failed("handshake", ec);
                    self->send(self->hello_);
                    self->read();
                });
            });
    }

    void send(std::string text)
    {
        net::post(ws_.get_executor(), [self = shared_from_this(), text = std::move(text)]() mutable {
            self->queue_.push_back(std::move(text));
            if (self->queue_.size() == 1) self->write();
        });
    }

private:
    void write()
    {
        ws_.async_write(net::buffer(queue_.front()), [self = shared_from_this()](beast::error_code ec, std::size_t) {
            if (ec) return self->failed("write", ec);
            self->queue_.pop_front();
            if (!self->queue_.empty()) self->write();
        });
    }

    void read()
    {
        ws_.async_read(buffer_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
            if (ec) return;
            std::string text = beast::buffers_to_string(self->buffer_.data());
            self->buffer_.consume(self->buffer_.size());
            if (!self->welcomed && text.find("\"type\":\"welcome\"") != std::string::npos) {
                self->welcomed = true;
                if (self->on_welcome) self->on_welcome(text);
            } else if (self->on_message) {
                self->on_message(text);
            }
            if (self->read_messages || !self->welcomed) self->read();
        });
    }

    void failed(const char* what, beast::error_code ec)
    {
        static int shown = 0;
        if (shown++ < 3) std::fprintf(stderr, "bench: %s: %s\n", what, ec.message().c_str());
    }

    websocket::stream<beast::tcp_stream> ws_;
    tcp::resolver resolver_;
    beast::flat_buffer buffer_;
    std::deque<std::string> queue_;
    std::string hello_;
};

// Latency samples in microseconds.
struct Samples {
    std::vector<double> us;
    void add(double v) { us.push_back(v); }
    double pct(double p)
    {
        if (us.empty()) return 0;
        std::sort(us.begin(), us.end());
        return us[std::min(us.size() - 1, static_cast<std::size_t>(p / 100.0 * us.size()))];
    }
};

// The sender puts its send time into the text ("t=<ns>;"), so any member can time its patch.
std::int64_t stamp_in(const std::string& message)
{
    auto at = message.find("t=");
    if (at == std::string::npos || message.find("\"type\":\"patch\"") == std::string::npos) return -1;
    return std::strtoll(message.c_str() + at + 2, nullptr, 10);
}

void run_for(net::io_context& ioc, std::chrono::milliseconds d)
{
    ioc.restart();
    ioc.run_for(d);
}

bool wait_until(net::io_context& ioc, const std::function<bool()>& done, std::chrono::seconds limit)
{
    auto end = Clock::now() + limit;
    while (!done() && Clock::now() < end) run_for(ioc, std::chrono::milliseconds(20));
    return done();
}

json hello_for(const std::string& code, const std::string& name)
{
    return {{"type", "hello"}, {"room", code}, {"name", name}, {"group", "professional"}};
}

std::string add_cmd(const std::string& board, const std::string& column, const std::string& text)
{
    return json{{"type", "do"}, {"id", "b"}, {"cmd", "item.add"}, {"args", {{"board", board}, {"column", column}, {"text", text}}}}
        .dump();
}

void fanout(const std::string& dir)
{
    const int rooms = 50, members = 20, rate = 5, seconds = 10;
    Server server(dir + "/fanout.db", {"--threads", "2"});
    net::io_context ioc;
    std::vector<std::vector<std::shared_ptr<Member>>> all(rooms);
    Samples samples;
    int welcomed = 0;
    for (int r = 0; r < rooms; ++r) {
        auto keys = create_room(server.port, "bench " + std::to_string(r));
        for (int m = 0; m < members; ++m) {
            auto member = std::make_shared<Member>(ioc);
            member->on_welcome = [&](const std::string&) { ++welcomed; };
            member->on_message = [&](const std::string& text) {
                if (auto t = stamp_in(text); t > 0) samples.add((now_ns() - t) / 1000.0);
            };
            member->start(server.port, hello_for(keys.code, "m" + std::to_string(m)));
            all[r].push_back(member);
        }
    }
    wait_until(ioc, [&] { return welcomed == rooms * members; }, std::chrono::seconds(60));
    run_for(ioc, std::chrono::milliseconds(500));
    samples.us.clear();
    net::steady_timer tick(ioc);
    int sent = 0;
    const auto end = Clock::now() + std::chrono::seconds(seconds);
    // Rooms are independent: their commands are spread evenly over each 1/rate second
    // rather than sent in one burst.
    const auto gap = std::chrono::microseconds(1'000'000 / (rate * rooms));
    const auto start = Clock::now();
    std::function<void()> step = [&] {
        if (Clock::now() >= end) return;
        const int r = sent % rooms;
        all[r][(sent / rooms) % members]->send(add_cmd("timeline", "event", "t=" + std::to_string(now_ns()) + ";"));
        ++sent;
        tick.expires_at(start + gap * sent);
        tick.async_wait([&](beast::error_code ec) {
            if (!ec) step();
        });
    };
    ioc.restart();
    step();
    ioc.run_for(std::chrono::seconds(seconds + 2));
    std::printf("fanout   %d rooms x %d members, %d cmd/s per room: %zu deliveries, p50 %.2f ms, p99 %.2f ms, max %.2f ms"
                " (target p99 < 5 ms)\n",
                rooms, members, rate, samples.us.size(), samples.pct(50) / 1000, samples.pct(99) / 1000,
                samples.pct(100) / 1000);
}

void throughput(const std::string& dir)
{
    const int members = 40;
    Server server(dir + "/throughput.db", {"--threads", "2"});
    net::io_context ioc;
    auto keys = create_room(server.port, "throughput");
    std::vector<std::shared_ptr<Member>> all;
    std::vector<std::string> own_item(members);
    Samples samples;
    int welcomed = 0, acks = 0;
    for (int m = 0; m < members; ++m) {
        auto member = std::make_shared<Member>(ioc);
        member->on_welcome = [&](const std::string&) { ++welcomed; };
        member->on_message = [&, m](const std::string& text) {
            if (auto t = stamp_in(text); t > 0) samples.add((now_ns() - t) / 1000.0);
            if (text.find("\"type\":\"ack\"") == std::string::npos) return;
            ++acks;
            // The first ack is for the member's own item, whose id follows from its seq.
            if (own_item[m].empty()) own_item[m] = "i" + std::to_string(json::parse(text)["seq"].get<std::uint64_t>());
        };
        member->start(server.port, hello_for(keys.code, "m" + std::to_string(m)));
        all.push_back(member);
    }
    wait_until(ioc, [&] { return welcomed == members; }, std::chrono::seconds(30));
    // Each member edits an item of its own, so the room's size stays the same throughout.
    for (int m = 0; m < members; ++m) all[m]->send(add_cmd("plan", "action", "start"));
    wait_until(ioc, [&] { return acks == members; }, std::chrono::seconds(10));
    std::printf("one room of %d members, item.edit commands from every member:\n", members);
    for (int target : {1000, 2500, 5000, 7500}) {
        samples.us.clear();
        acks = 0;
        const int per_tick = std::max(1, target / 100);  // 10 ms ticks
        net::steady_timer tick(ioc);
        const auto start = Clock::now();
        const auto end = start + std::chrono::seconds(3);
        int sent = 0;
        std::function<void()> step = [&] {
            if (Clock::now() >= end) return;
            for (int i = 0; i < per_tick; ++i, ++sent) {
                int m = sent % members;
                const std::string& id = own_item[m];
                all[m]->send(json{{"type", "do"}, {"id", sent}, {"cmd", "item.edit"},
                                  {"args", {{"board", "plan"}, {"id", id}, {"text", "t=" + std::to_string(now_ns()) + ";"}}}}
                                 .dump());
            }
            tick.expires_at(start + std::chrono::milliseconds(10) * (sent / per_tick));
            tick.async_wait([&](beast::error_code ec) {
                if (!ec) step();
            });
        };
        ioc.restart();
        step();
        wait_until(ioc, [&] { return Clock::now() >= end && acks >= sent; }, std::chrono::seconds(20));
        double secs = std::chrono::duration<double>(Clock::now() - start).count();
        std::printf("  offered %5d cmd/s: acked %6d in %.2f s = %6.0f cmd/s, delivery p50 %.2f ms, p99 %.2f ms"
                    " (target: >= 5000 cmd/s at p99 < 50 ms)\n",
                    target, acks, secs, acks / secs, samples.pct(50) / 1000, samples.pct(99) / 1000);
    }
}

void welcome_and_export(const std::string& dir)
{
    Server server(dir + "/welcome.db", {"--threads", "2"});
    net::io_context ioc;
    auto keys = create_room(server.port, "welcome");
    auto facilitator = std::make_shared<Member>(ioc);
    int acks = 0;
    facilitator->on_message = [&](const std::string& text) {
        if (text.find("\"type\":\"ack\"") != std::string::npos) ++acks;
    };
    facilitator->start(server.port, {{"type", "hello"}, {"room", keys.code}, {"key", keys.facilitator}});
    wait_until(ioc, [&] { return facilitator->welcomed; }, std::chrono::seconds(10));
    const char* boards[][2] = {{"timeline", "event"}, {"vision", "hinders"}, {"plan", "action"}, {"reflections", "reflection"}};
    auto add_items = [&](int n) {
        int target = acks + n;
        for (int i = 0; i < n; ++i) {
            auto& b = boards[i % 4];
            facilitator->send(add_cmd(b[0], b[1], "Yhteinen havainto numero " + std::to_string(i) +
                                                      ": koulun ja lastensuojelun yhteistyö tiivistyi syksyllä."));
        }
        wait_until(ioc, [&] { return acks >= target; }, std::chrono::seconds(60));
    };
    add_items(1000);

    Samples exports;
    std::string body;
    for (int i = 0; i < 20; ++i) {
        auto t0 = now_ns();
        http_call(server.port, http::verb::get, "/api/rooms/" + keys.code + "/export?format=html", {}, keys.facilitator, &body);
        exports.add((now_ns() - t0) / 1000.0);
    }
    json state = json::parse(http_call(server.port, http::verb::get, "/api/rooms/" + keys.code + "/export?format=json",
                                       {}, keys.facilitator)
                                 .dump())["state"];
    Samples render;
    for (int i = 0; i < 20; ++i) {
        auto t0 = now_ns();
        auto html = keha::render_notes(state, keha::Notes_format::html, json::object());
        render.add((now_ns() - t0) / 1000.0);
    }
    std::printf("notes export of a 1000-item meeting: HTTP html p50 %.2f ms, max %.2f ms (%zu KB); render alone p50 %.2f ms"
                " (target < 50 ms)\n",
                exports.pct(50) / 1000, exports.pct(100) / 1000, body.size() / 1024, render.pct(50) / 1000);

    add_items(1000);
    Samples joins, resumes;
    std::vector<std::pair<std::string, std::int64_t>> tokens;
    for (int i = 0; i < 20; ++i) {
        auto m = std::make_shared<Member>(ioc);
        std::int64_t t0 = now_ns();
        std::string token;
        m->on_welcome = [&](const std::string& text) {
            joins.add((now_ns() - t0) / 1000.0);
            token = json::parse(text)["token"];
        };
        m->start(server.port, hello_for(keys.code, "w" + std::to_string(i)));
        wait_until(ioc, [&] { return m->welcomed; }, std::chrono::seconds(10));
        auto again = std::make_shared<Member>(ioc);
        t0 = now_ns();
        again->on_welcome = [&](const std::string&) { resumes.add((now_ns() - t0) / 1000.0); };
        again->start(server.port, {{"type", "hello"}, {"room", keys.code}, {"token", token}});
        wait_until(ioc, [&] { return again->welcomed; }, std::chrono::seconds(10));
    }
    std::printf("welcome for a room with 2000 items: new participant (join committed first) p50 %.2f ms, max %.2f ms;"
                " resume p50 %.2f ms, max %.2f ms (target < 20 ms)\n",
                joins.pct(50) / 1000, joins.pct(100) / 1000, resumes.pct(50) / 1000, resumes.pct(100) / 1000);
}

void idle_members(const std::string& dir, int wanted)
{
    rlimit lim{};
    getrlimit(RLIMIT_NOFILE, &lim);
    lim.rlim_cur = lim.rlim_max;
    setrlimit(RLIMIT_NOFILE, &lim);
    const int count = std::min<int>(wanted, static_cast<int>(lim.rlim_cur) - 200);
    Server server(dir + "/idle.db", {"--threads", "2"});
    net::io_context ioc;
    std::vector<Room_keys> rooms;
    for (int r = 0; r < 100; ++r) rooms.push_back(create_room(server.port, "idle " + std::to_string(r)));
    const long before = server.rss_kib();
    std::vector<std::shared_ptr<Member>> all;
    int welcomed = 0;
    for (int i = 0; i < count; ++i) {
        auto m = std::make_shared<Member>(ioc);
        m->on_welcome = [&](const std::string&) { ++welcomed; };
        m->start(server.port, hello_for(rooms[i % rooms.size()].code, "i" + std::to_string(i)));
        all.push_back(m);
        if (i % 500 == 499) wait_until(ioc, [&] { return welcomed > i - 500; }, std::chrono::seconds(30));
    }
    wait_until(ioc, [&] { return welcomed == count; }, std::chrono::seconds(120));
    run_for(ioc, std::chrono::milliseconds(500));
    const long after = server.rss_kib();
    std::printf("idle members: %d of %d connected, server RSS %ld -> %ld KiB = %.1f KiB per member"
                " (target >= 15000 at < 20 KiB each)\n",
                welcomed, count, before, after, welcomed ? double(after - before) / welcomed : 0.0);
}

}  // namespace

int main(int argc, char** argv)
{
    int idle = argc > 1 ? std::atoi(argv[1]) : 15000;
    auto dir = std::filesystem::temp_directory_path() / ("keha-bench-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir);
    std::printf("keha-bench: keha-server and this load generator share the machine's %u cores\n",
                std::thread::hardware_concurrency());
    welcome_and_export(dir);
    fanout(dir);
    throughput(dir);
    idle_members(dir, idle);
    std::filesystem::remove_all(dir);
}
