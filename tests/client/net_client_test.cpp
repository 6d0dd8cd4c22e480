// The network thread against a scripted fake server: hello, patches, a dropped connection,
// reconnect with token + since, a refused hello.
#include <gtest/gtest.h>

#include <boost/asio.hpp>
#include <boost/beast.hpp>
#include <chrono>
#include <functional>
#include <mutex>
#include <thread>

#include "document.hpp"
#include "net_client.hpp"

namespace net = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = net::ip::tcp;
using keha::json;
using namespace std::chrono_literals;
using namespace keha::desk;

namespace {

using Socket = websocket::stream<tcp::socket>;

// Accepts connections one after another and runs the next script on each.
class Fake_server {
public:
    explicit Fake_server(std::vector<std::function<void(Socket&)>> scripts)
        : acceptor_(ioc_, tcp::endpoint(net::ip::make_address("127.0.0.1"), 0)), scripts_(std::move(scripts))
    {
        thread_ = std::thread([this] {
            for (auto& script : scripts_) {
                try {
                    tcp::socket socket(ioc_);
                    acceptor_.accept(socket);
                    Socket ws(std::move(socket));
                    ws.accept();
                    script(ws);
                } catch (const std::exception& e) {
                    std::lock_guard lock(mutex_);
                    errors_.push_back(e.what());
                }
            }
        });
    }
    ~Fake_server()
    {
        thread_.join();
    }
    std::string port() const { return std::to_string(acceptor_.local_endpoint().port()); }

    static json read(Socket& ws)
    {
        beast::flat_buffer buffer;
        ws.read(buffer);
        return json::parse(beast::buffers_to_string(buffer.data()));
    }
    // The next message that is not a ping (pings get their pong).
    static json read_not_ping(Socket& ws)
    {
        for (;;) {
            json m = read(ws);
            if (m.value("type", "") != "ping") return m;
            write(ws, {{"type", "pong"}, {"t", m["t"]}, {"server_time", m["t"].get<std::int64_t>() + 5000}});
        }
    }
    static void write(Socket& ws, const json& m)
    {
        ws.text(true);
        ws.write(net::buffer(m.dump()));
    }

    std::vector<std::string> errors_;
    std::mutex mutex_;

private:
    net::io_context ioc_;
    tcp::acceptor acceptor_;
    std::vector<std::function<void(Socket&)>> scripts_;
    std::thread thread_;
};

json state()
{
    return {{"room", {{"code", "K7Q4MX"}, {"title", "T"}, {"language", "fi"}}},
            {"phases", json::array()},
            {"phase", nullptr},
            {"participants", json::object()},
            {"boards", {{"timeline", {{"items", json::object()}}}}},
            {"timer", {{"state", "idle"}}}};
}

json add(std::uint64_t seq, const std::string& id)
{
    return {{"type", "patch"}, {"seq", seq}, {"by", "p1"}, {"cmd", "item.add"},
            {"patch", json::array({{{"op", "add"}, {"path", "/boards/timeline/items/" + id},
                                    {"value", {{"id", id}, {"column", "event"}, {"text", id}, {"order", 1.0 * seq}}}}})}};
}

// Takes events until `done` says so or the time is up; applies messages to `doc`.
bool pump_until(Net_client& client, Document& doc, std::vector<Net_event>& seen,
                const std::function<bool()>& done, std::chrono::milliseconds timeout = 5000ms)
{
    auto end = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < end) {
        for (Net_event& e : client.take()) {
            if (e.kind == Net_event::Kind::message) {
                std::string type = e.message.value("type", "");
                if (type == "welcome") doc.apply_welcome(e.message);
                if (type == "patch") doc.apply_patch_message(e.message);
            }
            seen.push_back(std::move(e));
        }
        if (done()) return true;
        std::this_thread::sleep_for(5ms);
    }
    return false;
}

}  // namespace

TEST(NetClient, ReconnectsWithTokenAndSinceAndGetsTheReplay)
{
    std::vector<json> hellos;
    std::mutex m;
    Fake_server server({
        [&](Socket& ws) {
            json hello = Fake_server::read(ws);
            { std::lock_guard lock(m); hellos.push_back(hello); }
            Fake_server::write(ws, {{"type", "welcome"}, {"you", "p2"}, {"role", "participant"}, {"token", "tok"},
                                    {"seq", 3}, {"state", state()}});
            Fake_server::write(ws, add(4, "i4"));
            std::this_thread::sleep_for(100ms);
            ws.next_layer().close();  // the network drops, no close frame
        },
        [&](Socket& ws) {
            json hello = Fake_server::read(ws);
            { std::lock_guard lock(m); hellos.push_back(hello); }
            Fake_server::write(ws, {{"type", "welcome"}, {"you", "p2"}, {"role", "participant"}, {"token", "tok"},
                                    {"seq", 5}, {"replay", json::array({add(5, "i5")})}});
            json command = Fake_server::read_not_ping(ws);
            Fake_server::write(ws, {{"type", "ack"}, {"id", command["id"]}, {"seq", 6}});
            Fake_server::write(ws, add(6, "i6"));
            beast::error_code ec;
            for (int i = 0; i < 50 && !ec; ++i) {  // answer pings until the client goes
                beast::flat_buffer buffer;
                ws.read(buffer, ec);
            }
        },
    });
    auto url = parse_server_url("http://127.0.0.1:" + server.port());
    ASSERT_TRUE(url);
    auto owned = std::make_unique<Net_client>(*url, Hello{"K7Q4MX", "Maija", "professional", "", ""});
    Net_client& client = *owned;
    client.start();
    Document doc;
    std::vector<Net_event> seen;
    ASSERT_TRUE(pump_until(client, doc, seen, [&] { return doc.seq() == 5; })) << "seq " << doc.seq();
    EXPECT_TRUE(std::any_of(seen.begin(), seen.end(), [](const Net_event& e) {
        return e.kind == Net_event::Kind::link && e.link == Link::reconnecting;
    }));
    EXPECT_EQ(client.link(), Link::online);

    std::string id = client.send("item.add", {{"board", "timeline"}, {"column", "event"}, {"text", "x"}});
    ASSERT_TRUE(pump_until(client, doc, seen, [&] { return doc.seq() == 6; }));
    EXPECT_TRUE(std::any_of(seen.begin(), seen.end(), [&](const Net_event& e) {
        return e.message.is_object() && e.message.value("type", "") == "ack" && e.message.value("id", "") == id;
    }));
    EXPECT_EQ(doc.board_items("timeline").size(), 3u);
    EXPECT_EQ(client.server_offset_ms() > 4000, true);  // the fake server's clock runs 5 s ahead

    owned.reset();  // closes the connection; the fake server's script ends
    std::lock_guard lock(m);
    ASSERT_EQ(hellos.size(), 2u);
    EXPECT_EQ(hellos[0]["type"], "hello");
    EXPECT_EQ(hellos[0]["room"], "K7Q4MX");
    EXPECT_EQ(hellos[0]["name"], "Maija");
    EXPECT_FALSE(hellos[0].contains("token"));
    EXPECT_EQ(hellos[1]["token"], "tok");
    EXPECT_EQ(hellos[1]["since"], 4);
}

TEST(NetClient, ARefusedHelloStopsTrying)
{
    Fake_server server({
        [](Socket& ws) {
            Fake_server::read(ws);
            Fake_server::write(ws, {{"type", "error"}, {"id", nullptr}, {"code", "unknown_room"}, {"message", "No."}});
            ws.close(websocket::close_code::normal);
        },
    });
    Net_client client(*parse_server_url("127.0.0.1:" + server.port()), Hello{"ABCDEF", "X", "other", "", ""});
    client.start();
    Document doc;
    std::vector<Net_event> seen;
    ASSERT_TRUE(pump_until(client, doc, seen, [&] { return client.link() == Link::stopped; }));
    std::this_thread::sleep_for(300ms);  // no second connection is attempted (the server takes one)
    EXPECT_EQ(client.link(), Link::stopped);
    EXPECT_EQ(client.reconnects(), 0);
}

TEST(NetClient, AByeForADeletedMeetingStopsTrying)
{
    Fake_server server({
        [](Socket& ws) {
            Fake_server::read(ws);
            Fake_server::write(ws, {{"type", "welcome"}, {"you", "p1"}, {"role", "facilitator"}, {"token", "t"}, {"seq", 0}, {"state", state()}});
            Fake_server::write(ws, {{"type", "bye"}, {"reason", "room_deleted"}});
            ws.close(websocket::close_code::normal);
        },
    });
    Net_client client(*parse_server_url("127.0.0.1:" + server.port()), Hello{"ABCDEF", "X", "other", "", ""});
    client.start();
    Document doc;
    std::vector<Net_event> seen;
    ASSERT_TRUE(pump_until(client, doc, seen, [&] { return client.link() == Link::stopped; }));
    std::this_thread::sleep_for(300ms);  // no second connection is attempted (the server takes one)
    EXPECT_EQ(client.link(), Link::stopped);
    EXPECT_EQ(client.reconnects(), 0);
}

TEST(NetClient, AHelloRefusedBecauseTheStoreIsUnavailableIsTriedAgain)
{
    Fake_server server({
        [](Socket& ws) {
            Fake_server::read(ws);
            Fake_server::write(ws, {{"type", "error"}, {"id", nullptr}, {"code", "unavailable"}, {"message", "Later."}});
            ws.close(websocket::close_code::normal);
        },
        [](Socket& ws) {
            Fake_server::read(ws);
            Fake_server::write(ws, {{"type", "welcome"}, {"you", "p2"}, {"role", "participant"}, {"token", "tok"},
                                    {"seq", 3}, {"state", state()}});
            beast::error_code ec;
            for (int i = 0; i < 50 && !ec; ++i) {  // answer pings until the client goes
                beast::flat_buffer buffer;
                ws.read(buffer, ec);
            }
        },
    });
    auto owned = std::make_unique<Net_client>(*parse_server_url("127.0.0.1:" + server.port()),
                                              Hello{"ABCDEF", "X", "other", "", ""});
    Net_client& client = *owned;
    client.start();
    Document doc;
    std::vector<Net_event> seen;
    ASSERT_TRUE(pump_until(client, doc, seen, [&] { return client.link() == Link::online; }));
    EXPECT_EQ(doc.seq(), 3u);
    EXPECT_GE(client.reconnects(), 1);
    // The refusal reached the UI, which shows error.unavailable.
    EXPECT_TRUE(std::any_of(seen.begin(), seen.end(), [](const Net_event& e) {
        return e.message.is_object() && e.message.value("code", "") == "unavailable";
    }));
    owned.reset();
}

TEST(NetClient, ACommandWhileOfflineComesBackAsAnError)
{
    // Nothing listens on this port (bound, then closed).
    std::string port;
    {
        net::io_context ioc;
        tcp::acceptor a(ioc, tcp::endpoint(net::ip::make_address("127.0.0.1"), 0));
        port = std::to_string(a.local_endpoint().port());
    }
    Net_client client(*parse_server_url("127.0.0.1:" + port), Hello{"ABCDEF", "X", "other", "", ""});
    client.start();
    std::string id = client.send("hand.raise", json::object());
    Document doc;
    std::vector<Net_event> seen;
    ASSERT_TRUE(pump_until(client, doc, seen, [&] {
        return std::any_of(seen.begin(), seen.end(), [&](const Net_event& e) {
            return e.message.is_object() && e.message.value("code", "") == "offline" && e.message.value("id", "") == id;
        });
    }));
    EXPECT_NE(client.link(), Link::online);
}
