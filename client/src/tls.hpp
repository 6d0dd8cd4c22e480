#pragma once
// TLS for https:// and wss:// servers: TLS 1.2 or newer, the server's certificate checked
// against the system's CAs (or only those in Server_url::ca_file) and for the server's name.
#include <memory>

#include "net.hpp"
#include "url.hpp"

namespace keha::desk {

using Tls_stream = beast::ssl_stream<beast::tcp_stream>;

// Throws std::runtime_error when the CA file cannot be read.
std::shared_ptr<ssl::context> client_tls_context(const Server_url& server);

// Before the handshake: the name to ask for (SNI) and to check the certificate against.
void prepare_tls(Tls_stream& stream, const Server_url& server);

}  // namespace keha::desk
