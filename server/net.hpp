#pragma once
// Namespace aliases for the networking code, in one place.
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

namespace keha::server {
namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace websocket = boost::beast::websocket;
using tcp = boost::asio::ip::tcp;
using Strand = net::strand<net::io_context::executor_type>;
using Shared_text = std::shared_ptr<const std::string>;
}  // namespace keha::server
