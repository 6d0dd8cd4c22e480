#pragma once
// Connections that end the way browsers end them every day (a closed tab, a phone losing its
// network, an idle socket timing out) are not errors of the server: logged at debug only.
#include "connection_stream.hpp"
#include "net.hpp"

namespace keha::server {

bool ordinary_disconnect(const beast::error_code& ec);

}  // namespace keha::server
