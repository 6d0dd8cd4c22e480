#pragma once
// The server's certificate and private key (--tls-cert, --tls-key) as a TLS context that a
// reload (SIGHUP) replaces. New connections take the current context; connections already
// open keep the one they started with, so a reload drops nobody.
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "connection_stream.hpp"

namespace keha::server {

class Tls_config {
public:
    // Throws std::runtime_error saying which file is wrong when they do not load.
    Tls_config(std::string cert_file, std::string key_file);

    std::shared_ptr<ssl::context> current() const;
    // Reads the files again. On an error the old certificate stays in use and the error is returned.
    std::optional<std::string> reload();

private:
    std::string cert_file_, key_file_;
    mutable std::mutex mutex_;
    std::shared_ptr<ssl::context> current_;
};

}  // namespace keha::server
