#include "tls.hpp"

#include <openssl/ssl.h>

#include <stdexcept>

namespace keha::desk {

std::shared_ptr<ssl::context> client_tls_context(const Server_url& server)
{
    auto context = std::make_shared<ssl::context>(ssl::context::tls_client);
    context->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                         ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
    context->set_verify_mode(ssl::verify_peer);
    beast::error_code ec;
    if (server.ca_file.empty()) context->set_default_verify_paths(ec);
    else context->load_verify_file(server.ca_file, ec);
    if (ec) throw std::runtime_error("cannot read the CA file " + server.ca_file + ": " + ec.message());
    return context;
}

void prepare_tls(Tls_stream& stream, const Server_url& server)
{
    // SNI takes a name, never an address.
    beast::error_code ec;
    net::ip::make_address(server.host, ec);
    if (ec && !SSL_set_tlsext_host_name(stream.native_handle(), server.host.c_str()))
        throw std::runtime_error("cannot set the TLS server name " + server.host);
    stream.set_verify_callback(ssl::host_name_verification(server.host));
}

}  // namespace keha::desk
