// The network thread against a real keha-server: the welcome and patches, the network
// dropping mid-meeting (a relay between the two cuts every connection, no close frame) and the
// rejoin with token + since answered with a replay of what was missed, a refused hello, the
// bye of a deleted meeting, a hello the server cannot answer yet (its store read fails) tried
// again until it can, and a command while offline.
#include <gtest/gtest.h>

#include <signal.h>
#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <boost/asio.hpp>
#include <chrono>
#include <array>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "api_client.hpp"
#include "document.hpp"
#include "net_client.hpp"
#include "support/broken_store.hpp"
#include "support/meeting.hpp"

namespace net = boost::asio;
using tcp = net::ip::tcp;
using keha::json;
using keha::itest::create_room;
using keha::itest::Member;
using keha::itest::Room_keys;
using keha::itest::Server_process;
using keha::itest::Temp_dir;
using keha::itest::Write_lock_holder;
using keha::itest::with_key;
using namespace std::chrono_literals;
using namespace keha::desk;

namespace {

// The network between keha-desk and keha-server: a TCP relay on a port of its own whose
// connections can all be cut at once, as when a laptop's Wi-Fi drops (no close frame).
class Network {
public:
    explicit Network(std::uint16_t server_port)
        : acceptor_(ioc_, tcp::endpoint(net::ip::make_address("127.0.0.1"), 0)),
          server_(net::ip::make_address("127.0.0.1"), server_port)
    {
        accept();
        thread_ = std::thread([this] { ioc_.run(); });
    }
    ~Network()
    {
        net::post(ioc_, [this] {
            acceptor_.close();
            cut_all();
        });
        work_.reset();
        thread_.join();
    }
    std::uint16_t port() const { return acceptor_.local_endpoint().port(); }
    // Bytes the clients have sent through to the server so far.
    std::size_t upward_bytes() const { return upward_bytes_.load(); }
    // New connections go to another server from now on (a restarted one).
    void point_at(std::uint16_t server_port)
    {
        std::promise<void> done;
        net::post(ioc_, [this, server_port, &done] {
            server_ = tcp::endpoint(net::ip::make_address("127.0.0.1"), server_port);
            done.set_value();
        });
        done.get_future().wait();
    }
    // The first line each connection sent: the WebSocket's upgrade request ("GET /ws?room=… HTTP/1.1").
    std::vector<std::string> request_lines()
    {
        std::lock_guard lock(mutex_);
        return request_lines_;
    }
    // Every connection through the relay closed on both sides.
    void cut()
    {
        std::promise<void> done;
        net::post(ioc_, [this, &done] {
            cut_all();
            done.set_value();
        });
        done.get_future().wait();
    }

private:
    struct Pipe {
        explicit Pipe(net::io_context& ioc) : client(ioc), server(ioc) {}
        tcp::socket client, server;
        std::array<char, 16384> up{}, down{};
        bool request_seen = false;
    };
    void accept()
    {
        auto pipe = std::make_shared<Pipe>(ioc_);
        acceptor_.async_accept(pipe->client, [this, pipe](boost::system::error_code ec) {
            if (ec) return;
            pipes_.push_back(pipe);
            pipe->server.async_connect(server_, [this, pipe](boost::system::error_code connect_ec) {
                if (connect_ec) return close(*pipe);
                relay(pipe, pipe->client, pipe->server, pipe->up);
                relay(pipe, pipe->server, pipe->client, pipe->down);
            });
            accept();
        });
    }
    void relay(const std::shared_ptr<Pipe>& pipe, tcp::socket& from, tcp::socket& to, std::array<char, 16384>& buffer)
    {
        from.async_read_some(net::buffer(buffer), [this, pipe, &from, &to, &buffer](boost::system::error_code ec, std::size_t n) {
            if (ec) return close(*pipe);
            if (&from == &pipe->client && !pipe->request_seen) {
                pipe->request_seen = true;
                const std::string first(buffer.data(), n);
                std::lock_guard lock(mutex_);
                request_lines_.push_back(first.substr(0, first.find("\r\n")));
            }
            if (&from == &pipe->client) upward_bytes_ += n;
            net::async_write(to, net::buffer(buffer, n), [this, pipe, &from, &to, &buffer](boost::system::error_code write_ec, std::size_t) {
                if (write_ec) return close(*pipe);
                relay(pipe, from, to, buffer);
            });
        });
    }
    static void close(Pipe& pipe)
    {
        boost::system::error_code ignored;
        pipe.client.close(ignored);
        pipe.server.close(ignored);
    }
    void cut_all()
    {
        for (auto& pipe : pipes_) close(*pipe);
        pipes_.clear();
    }

    net::io_context ioc_;
    std::optional<net::executor_work_guard<net::io_context::executor_type>> work_{net::make_work_guard(ioc_)};
    tcp::acceptor acceptor_;
    tcp::endpoint server_;
    std::vector<std::shared_ptr<Pipe>> pipes_;  // touched on the relay's thread only
    std::mutex mutex_;
    std::vector<std::string> request_lines_;
    std::atomic<std::size_t> upward_bytes_{0};
    std::thread thread_;
};

class NetClient : public ::testing::Test {
protected:
    Server_url url(std::uint16_t port) const { return *parse_server_url("http://127.0.0.1:" + std::to_string(port)); }

    // Takes events until `done` says so (false after 15 s); applies messages to `doc`.
    bool pump_until(Net_client& client, Document& doc, const std::function<bool()>& done)
    {
        auto end = std::chrono::steady_clock::now() + 15s;
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
    bool saw(const std::function<bool(const Net_event&)>& what) const { return std::any_of(seen.begin(), seen.end(), what); }
    static bool is_message(const Net_event& e, const char* type, const char* code = nullptr)
    {
        return e.kind == Net_event::Kind::message && e.message.is_object() && e.message.value("type", "") == type &&
               (!code || e.message.value("code", "") == code);
    }

    Temp_dir dir_;
    Server_process server_{dir_.path() / "net-client.db"};
    std::vector<Net_event> seen;
};

// A read of the room's snapshots that fails (a view over them, as in the store-failure tests),
// and the table back as it was.
void set_snapshots_readable(const std::filesystem::path& db, const std::string& code, bool readable)
{
    sqlite3* other = nullptr;
    ASSERT_EQ(sqlite3_open_v2(db.c_str(), &other, SQLITE_OPEN_READWRITE, nullptr), SQLITE_OK);
    sqlite3_busy_timeout(other, 5000);
    const std::string sql =
        readable ? "BEGIN IMMEDIATE; DROP VIEW snapshots; ALTER TABLE kept_snapshots RENAME TO snapshots; COMMIT;"
                 : "BEGIN IMMEDIATE; ALTER TABLE snapshots RENAME TO kept_snapshots; "
                   "CREATE VIEW snapshots AS SELECT room, seq, CASE WHEN room = '" + code +
                       "' THEN abs(-9223372036854775807 - 1) ELSE state END AS state FROM kept_snapshots; COMMIT;";
    char* error = nullptr;
    EXPECT_EQ(sqlite3_exec(other, sql.c_str(), nullptr, nullptr, &error), SQLITE_OK) << (error ? error : "");
    sqlite3_free(error);
    sqlite3_close(other);
}

}  // namespace

TEST_F(NetClient, TheNetworkDropsAndTheRejoinReplaysWhatWasMissed)
{
    Room_keys room = create_room(server_.port(), {{"title", "Verkko"}, {"language", "fi"}});
    Member facilitator(server_.port(), room.code, with_key(room.facilitator_key));
    Network network(server_.port());
    auto owned = std::make_unique<Net_client>(url(network.port()), Hello{room.code, "Maija", "professional", "", ""});
    Net_client& client = *owned;
    client.start();
    Document doc;
    ASSERT_TRUE(pump_until(client, doc, [&] { return doc.has_state() && client.link() == Link::online; }));
    const std::string me = doc.you();
    const std::uint64_t first = facilitator.ok("item.add", {{"board", "timeline"}, {"column", "event"}, {"text", "Eka"}});
    ASSERT_TRUE(pump_until(client, doc, [&] { return doc.seq() == first; }));

    // The network drops; meanwhile the meeting goes on without Maija.
    network.cut();
    const std::uint64_t missed = facilitator.ok("item.add", {{"board", "timeline"}, {"column", "event"}, {"text", "Toka"}});
    // Back online with what was missed: the server's own patches (her going offline, and online
    // again after the welcome) take seqs around it, so the copy may be past `missed` already.
    ASSERT_TRUE(pump_until(client, doc, [&] { return doc.seq() >= missed && client.link() == Link::online; }))
        << "seq " << doc.seq();
    EXPECT_TRUE(saw([](const Net_event& e) { return e.kind == Net_event::Kind::link && e.link == Link::reconnecting; }));
    EXPECT_GE(client.reconnects(), 1);
    // She came back as herself (the token), and what she missed came as a replay (the since).
    EXPECT_EQ(doc.you(), me);
    EXPECT_TRUE(saw([](const Net_event& e) { return is_message(e, "welcome") && e.message.contains("replay"); }));
    EXPECT_EQ(doc.board_items("timeline").size(), 2u);

    // A command after the rejoin: its ack, and its item in the copy.
    std::string id = client.send("item.add", {{"board", "timeline"}, {"column", "event"}, {"text", "Kolmas"}});
    ASSERT_TRUE(pump_until(client, doc, [&] { return doc.board_items("timeline").size() == 3u; }));
    ASSERT_TRUE(pump_until(client, doc, [&] {
        return saw([&](const Net_event& e) { return is_message(e, "ack") && e.message.value("id", "") == id; });
    }));
    EXPECT_LT(std::abs(client.server_offset_ms()), 2000) << "one machine, one clock";
}

// Welcomed before her join was durable (everything before it was), Maija adds an item; the
// server dies before the join's commit. Restarted, it does not know her token: keha-desk joins
// again with her name, as herself anew, and sends the item again — it was never applied (its
// seq came after the lost join's, docs/protocol.md §9.2) — so it is in the meeting once.
TEST_F(NetClient, AJoinLostInACrashJoinsAgainAndSendsWhatWasTypedMeanwhile)
{
    const auto db = dir_.path() / "lost-join.db";
    const std::vector<std::string> flags = {"--rate", "100000", "--burst", "100000"};
    auto first = std::make_unique<Server_process>(db, flags);
    Room_keys room = create_room(first->port(), {{"title", "Kaatuva"}, {"language", "fi"}});
    // Everything before Maija's join is durable (the facilitator stays: her leaving would be a
    // commit of its own, waiting for the store like the join).
    Member facilitator(first->port(), room.code, with_key(room.facilitator_key));
    facilitator.ok("item.add", {{"board", "timeline"}, {"column", "event"}, {"text", "Pysyvä"}});
    Network network(first->port());
    Net_client client(url(network.port()), Hello{room.code, "Maija", "professional", "", ""});
    Document doc;
    std::string id;
    {
        Write_lock_holder other(db);  // the join's commit waits for the store
        client.start();
        ASSERT_TRUE(pump_until(client, doc, [&] { return doc.has_state() && client.link() == Link::online; }));
        const std::size_t before = network.upward_bytes();
        id = client.send("item.add", {{"board", "timeline"}, {"column", "event"}, {"text", "Kirjoitettu heti"}});
        // Its frame (well over 100 bytes; a ping's is under 60) has gone through to the server.
        ASSERT_TRUE(pump_until(client, doc, [&] { return network.upward_bytes() >= before + 100; }));
        first->signal(SIGKILL);
        ASSERT_TRUE(first->wait_exit(10s));
    }
    Server_process second(db, flags);
    network.point_at(second.port());
    const auto acked = [&] {
        return saw([&](const Net_event& e) { return is_message(e, "ack") && e.message.value("id", "") == id; });
    };
    ASSERT_TRUE(pump_until(client, doc, [&] { return client.link() == Link::online && acked(); })) << "seq " << doc.seq();
    for (const auto& e : seen) EXPECT_FALSE(is_message(e, "error")) << "the refused token is not shown: " << e.message.dump();
    const json* maija = doc.participant(doc.you());
    ASSERT_TRUE(maija);
    EXPECT_EQ(maija->value("name", ""), "Maija");
    int typed = 0;
    for (const json* item : doc.board_items("timeline")) typed += item->value("text", "") == "Kirjoitettu heti";
    EXPECT_EQ(typed, 1);
}

// The same join refused by the store instead (it stays locked past its busy timeout): the
// server closes Maija with `error unavailable`. Once the store is back, keha-desk joins again
// with her name (her token opens nothing) instead of stopping, and sends her item again: the
// refusal undid it with the join.
TEST_F(NetClient, AJoinTheStoreRefusesJoinsAgainOnceTheStoreIsBack)
{
    const auto db = dir_.path() / "refused-join.db";
    Server_process server(db, {"--rate", "100000", "--burst", "100000"});
    Room_keys room = create_room(server.port(), {{"title", "Lukittu"}, {"language", "fi"}});
    Member facilitator(server.port(), room.code, with_key(room.facilitator_key));
    facilitator.ok("item.add", {{"board", "timeline"}, {"column", "event"}, {"text", "Pysyvä"}});
    std::optional<Write_lock_holder> other(std::in_place, db);
    Net_client client(url(server.port()), Hello{room.code, "Maija", "professional", "", ""});
    client.start();
    Document doc;
    ASSERT_TRUE(pump_until(client, doc, [&] { return doc.has_state() && client.link() == Link::online; }));
    const std::string id = client.send("item.add", {{"board", "timeline"}, {"column", "event"}, {"text", "Odottaessa"}});
    ASSERT_TRUE(pump_until(client, doc, [&] { return saw([](const Net_event& e) { return is_message(e, "error", "unavailable"); }); }));
    other.reset();
    const auto acked = [&] {
        return saw([&](const Net_event& e) { return is_message(e, "ack") && e.message.value("id", json()) == id; });
    };
    ASSERT_TRUE(pump_until(client, doc, [&] { return client.link() == Link::online && acked(); }))
        << "link " << static_cast<int>(client.link());
    const json* maija = doc.participant(doc.you());
    ASSERT_TRUE(maija);
    EXPECT_EQ(maija->value("name", ""), "Maija");
    int typed = 0;
    for (const json* item : doc.board_items("timeline")) typed += item->value("text", "") == "Odottaessa";
    EXPECT_EQ(typed, 1);
    EXPECT_FALSE(saw([](const Net_event& e) { return e.kind == Net_event::Kind::link && e.link == Link::stopped; }));
}

TEST_F(NetClient, ARefusedHelloStopsTrying)
{
    Net_client client(url(server_.port()), Hello{"ABCD2345", "X", "other", "", ""});
    client.start();
    Document doc;
    ASSERT_TRUE(pump_until(client, doc, [&] { return client.link() == Link::stopped; }));
    EXPECT_TRUE(saw([](const Net_event& e) { return is_message(e, "error", "unknown_room"); }));
    EXPECT_EQ(client.reconnects(), 0);
}

TEST_F(NetClient, AByeForADeletedMeetingStopsTrying)
{
    Room_keys room = create_room(server_.port(), {{"title", "Poistuva"}, {"language", "fi"}});
    Net_client client(url(server_.port()), Hello{room.code, "", "", room.facilitator_key, ""});
    client.start();
    Document doc;
    ASSERT_TRUE(pump_until(client, doc, [&] { return client.link() == Link::online; }));
    auto deleted = Api_client(url(server_.port()), room.facilitator_key, room.code).delete_room();
    ASSERT_TRUE(deleted.ok()) << deleted.error;
    ASSERT_TRUE(pump_until(client, doc, [&] { return client.link() == Link::stopped; }));
    EXPECT_TRUE(saw([](const Net_event& e) { return is_message(e, "bye") && e.message.value("reason", "") == "room_deleted"; }));
    EXPECT_EQ(client.reconnects(), 0);
}

TEST_F(NetClient, AHelloRefusedBecauseTheStoreIsUnavailableIsTriedAgain)
{
    Room_keys room = create_room(server_.port(), {{"title", "Hidas levy"}, {"language", "fi"}});
    set_snapshots_readable(server_.db(), room.code, false);
    auto owned = std::make_unique<Net_client>(url(server_.port()), Hello{room.code, "Maija", "professional", "", ""});
    Net_client& client = *owned;
    client.start();
    Document doc;
    // The refusal reaches the UI, which shows error.unavailable, and the client tries again.
    ASSERT_TRUE(pump_until(client, doc, [&] { return saw([](const Net_event& e) { return is_message(e, "error", "unavailable"); }); }));
    EXPECT_NE(client.link(), Link::stopped);
    // The store reads again: the next try gets in.
    set_snapshots_readable(server_.db(), room.code, true);
    ASSERT_TRUE(pump_until(client, doc, [&] { return client.link() == Link::online && doc.has_state(); }));
    EXPECT_GE(client.reconnects(), 1);
    owned.reset();
}

TEST_F(NetClient, ACommandWhileOfflineComesBackAsAnError)
{
    // Nothing listens on this port (bound, then closed).
    std::uint16_t port = 0;
    {
        net::io_context ioc;
        tcp::acceptor a(ioc, tcp::endpoint(net::ip::make_address("127.0.0.1"), 0));
        port = a.local_endpoint().port();
    }
    Net_client client(url(port), Hello{"ABCD2345", "X", "other", "", ""});
    client.start();
    std::string id = client.send("hand.raise", json::object());
    Document doc;
    ASSERT_TRUE(pump_until(client, doc, [&] {
        return saw([&](const Net_event& e) { return is_message(e, "error", "offline") && e.message.value("id", "") == id; });
    }));
    EXPECT_NE(client.link(), Link::online);
}

// Several keha-servers behind a load balancer (docs/deployment.md, "Several nodes behind
// HAProxy") send a room's members to one of them by the code in the WebSocket's address: keha-desk
// opens /ws?room=CODE (the code normalized however it was typed), again when it reconnects.
TEST_F(NetClient, OpensItsWebSocketAtTheRoomsAddressAlsoWhenItReconnects)
{
    EXPECT_EQ(websocket_target("k7q-4mx"), "/ws?room=K7Q4MX");
    EXPECT_EQ(websocket_target("not a code&x=1"), "/ws");  // the server answers such a hello unknown_room
    Room_keys room = create_room(server_.port(), {{"title", "Reititys"}, {"language", "fi"}});
    std::string typed;
    for (char c : room.code) typed += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    typed.insert(4, "-");
    Network network(server_.port());
    auto owned = std::make_unique<Net_client>(url(network.port()), Hello{typed, "Maija", "professional", "", ""});
    Net_client& client = *owned;
    client.start();
    Document doc;
    ASSERT_TRUE(pump_until(client, doc, [&] { return client.link() == Link::online; }));
    network.cut();
    ASSERT_TRUE(pump_until(client, doc, [&] { return client.reconnects() >= 1 && client.link() == Link::online; }));
    owned.reset();

    const auto lines = network.request_lines();
    EXPECT_GE(lines.size(), 2u);
    for (const auto& line : lines) EXPECT_EQ(line, "GET /ws?room=" + room.code + " HTTP/1.1");
}
