#pragma once
#include <boost/asio.hpp>
#include <boost/beast.hpp>

namespace keha::desk {
namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace websocket = boost::beast::websocket;
using tcp = boost::asio::ip::tcp;
}  // namespace keha::desk
