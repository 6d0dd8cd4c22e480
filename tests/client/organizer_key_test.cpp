// keha-desk's "New meeting" on a server with an organizer key: without the key the server
// answers 401 (the start screen then asks for it), a wrong key 403, and the right one makes
// the meeting. Against a real keha-server started with --organizer-key-file.
#include <gtest/gtest.h>

#include <fstream>

#include "http_client.hpp"
#include "support/server_process.hpp"

using namespace keha::desk;
using keha::itest::Server_process;
using keha::itest::Temp_dir;

namespace {

struct Keyed_server {
    Temp_dir dir;
    std::filesystem::path key_file = [this] {
        auto file = dir.path() / "organizer-key";
        std::ofstream(file) << "desk-organizer-41c2\n";
        return file;
    }();
    Server_process server{dir.path() / "desk-key.db", {"--organizer-key-file", key_file.string()}};

    Server_url url() const { return *parse_server_url("http://127.0.0.1:" + std::to_string(server.port())); }
};

}  // namespace

TEST(DeskOrganizerKey, CreatingAsksForTheKeyRefusesAWrongOneAndWorksWithTheRightOne)
{
    Keyed_server s;
    auto without = create_room(s.url(), "Kehittämisen tiimi", "", "fi");
    EXPECT_EQ(without.response.status, 401);
    EXPECT_EQ(without.response.error, "unauthorized");
    EXPECT_TRUE(without.room.code.empty());

    auto wrong = create_room(s.url(), "Kehittämisen tiimi", "", "fi", "arvaus");
    EXPECT_EQ(wrong.response.status, 403);
    EXPECT_TRUE(wrong.room.code.empty());

    auto right = create_room(s.url(), "Kehittämisen tiimi", "", "fi", "desk-organizer-41c2");
    ASSERT_TRUE(right.response.ok()) << right.response.status << " " << right.response.error;
    EXPECT_EQ(right.room.code.size(), 8u);
    EXPECT_FALSE(right.room.facilitator_key.empty());
}
