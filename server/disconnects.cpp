#include "disconnects.hpp"

namespace keha::server {

bool ordinary_disconnect(const beast::error_code& ec)
{
    return ec == net::error::operation_aborted || ec == net::error::eof || ec == net::error::connection_reset ||
           ec == net::error::connection_aborted || ec == net::error::broken_pipe || ec == net::error::not_connected ||
           ec == net::error::timed_out || ec == beast::error::timeout || ec == websocket::error::closed ||
           ec == http::error::end_of_stream || ec == http::error::partial_message ||
           ec == ssl::error::stream_truncated;
}

}  // namespace keha::server
