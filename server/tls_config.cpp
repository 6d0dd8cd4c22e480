#include "tls_config.hpp"

#include <openssl/ssl.h>

#include <stdexcept>

namespace keha::server {
namespace {

std::shared_ptr<ssl::context> load(const std::string& cert_file, const std::string& key_file)
{
    auto context = std::make_shared<ssl::context>(ssl::context::tls_server);
    // TLS 1.2 and 1.3 only; OpenSSL's defaults choose the ciphers.
    context->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                         ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::single_dh_use);
    beast::error_code ec;
    context->use_certificate_chain_file(cert_file, ec);
    if (ec) throw std::runtime_error("cannot read the certificate " + cert_file + ": " + ec.message());
    context->use_private_key_file(key_file, ssl::context::pem, ec);
    if (ec) throw std::runtime_error("cannot read the private key " + key_file + ": " + ec.message());
    if (SSL_CTX_check_private_key(context->native_handle()) != 1)
        throw std::runtime_error("the private key " + key_file + " does not belong to the certificate " + cert_file);
    return context;
}

}  // namespace

Tls_config::Tls_config(std::string cert_file, std::string key_file)
    : cert_file_(std::move(cert_file)), key_file_(std::move(key_file)), current_(load(cert_file_, key_file_))
{
}

std::shared_ptr<ssl::context> Tls_config::current() const
{
    std::lock_guard lock(mutex_);
    return current_;
}

std::optional<std::string> Tls_config::reload()
{
    try {
        auto fresh = load(cert_file_, key_file_);
        std::lock_guard lock(mutex_);
        current_ = std::move(fresh);
        return std::nullopt;
    } catch (const std::exception& e) {
        return std::string(e.what());
    }
}

}  // namespace keha::server
