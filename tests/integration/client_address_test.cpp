// client_address.hpp: X-Forwarded-For names the client only when the peer is a trusted proxy,
// and then only as far back as the chain of trusted proxies reaches.
#include <gtest/gtest.h>

#include "client_address.hpp"

using namespace keha::server;

namespace {

std::string client(const Trusted_proxies& proxies, const std::string& peer, std::vector<std::string> forwarded_for)
{
    http::fields headers;
    for (const auto& value : forwarded_for) headers.insert("X-Forwarded-For", value);
    return client_address(proxies, net::ip::make_address(peer), headers).to_string();
}

}  // namespace

TEST(ClientAddress, WithoutTrustedProxiesItIsThePeer)
{
    Trusted_proxies none;
    EXPECT_EQ(client(none, "192.0.2.7", {"203.0.113.9"}), "192.0.2.7");
    EXPECT_EQ(client(none, "::ffff:192.0.2.7", {}), "192.0.2.7");
}

TEST(ClientAddress, AnUntrustedPeerCannotNameAnotherAddress)
{
    Trusted_proxies proxies({"10.0.0.0/8"});
    EXPECT_EQ(client(proxies, "192.0.2.7", {"203.0.113.9"}), "192.0.2.7");
}

TEST(ClientAddress, ATrustedProxyNamesTheClient)
{
    Trusted_proxies proxies({"10.0.0.0/8", "fd00::/8", "192.0.2.1"});
    EXPECT_EQ(client(proxies, "10.1.2.3", {"203.0.113.9"}), "203.0.113.9");
    EXPECT_EQ(client(proxies, "192.0.2.1", {"203.0.113.9"}), "203.0.113.9");
    EXPECT_EQ(client(proxies, "fd12::1", {"2001:db8::5"}), "2001:db8::5");
    EXPECT_EQ(client(proxies, "10.1.2.3", {}), "10.1.2.3");
}

TEST(ClientAddress, ForgedEntriesLeftOfTheFirstUntrustedHopAreIgnored)
{
    Trusted_proxies proxies({"10.0.0.0/8"});
    // The client sent "1.1.1.1" itself; the proxy appended the address it really heard from.
    EXPECT_EQ(client(proxies, "10.0.0.2", {"1.1.1.1, 203.0.113.9"}), "203.0.113.9");
    // Two proxies in a row, and the header split over two lines.
    EXPECT_EQ(client(proxies, "10.0.0.2", {"1.1.1.1, 203.0.113.9", "10.0.0.3"}), "203.0.113.9");
    // An entry that is not an address stops the walk at the last proxy.
    EXPECT_EQ(client(proxies, "10.0.0.2", {"203.0.113.9, unknown"}), "10.0.0.2");
    EXPECT_EQ(client(proxies, "10.0.0.2", {"[2001:db8::5]:443"}), "2001:db8::5");
    EXPECT_EQ(client(proxies, "10.0.0.2", {"203.0.113.9:5555"}), "203.0.113.9");
}

TEST(ClientAddress, ABadProxyEntryIsRefusedByName)
{
    try {
        Trusted_proxies proxies({"10.0.0.0/8", "proxy.local"});
        FAIL() << "accepted a host name";
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("proxy.local"), std::string::npos);
    }
    EXPECT_THROW(Trusted_proxies({"10.0.0.0/33"}), std::invalid_argument);
}
