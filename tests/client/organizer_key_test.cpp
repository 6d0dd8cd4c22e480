// keha-desk's "New meeting" on a server with an organizer key: without the key the server
// answers 401 (the start screen then asks for it), a wrong key 403, and the right one makes
// the meeting. Against a real keha-server started with --organizer-key-file.
#include <gtest/gtest.h>

#include <fstream>

#include "api_client.hpp"
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
    auto without = Api_client(s.url(), "").create_room("Kehittämisen tiimi", "", "fi");
    EXPECT_EQ(without.status, 401);
    EXPECT_EQ(without.error, "unauthorized");
    EXPECT_FALSE(without.ok());

    auto wrong = Api_client(s.url(), "arvaus").create_room("Kehittämisen tiimi", "", "fi");
    EXPECT_EQ(wrong.status, 403);
    EXPECT_FALSE(wrong.ok());

    auto right = Api_client(s.url(), "desk-organizer-41c2").create_room("Kehittämisen tiimi", "", "fi");
    ASSERT_TRUE(right.ok()) << right.status << " " << right.error;
    EXPECT_EQ(right.value->code.size(), 8u);
    EXPECT_FALSE(right.value->facilitator_key.empty());
}
