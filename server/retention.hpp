#pragma once
// Retention (docs/security.md): a sweep deletes the meetings whose time is up and the
// access-log rows past theirs. (A facilitator deleting a meeting now, DELETE
// /api/rooms/{code}, is http_rooms.cpp.)
#include <exception>
#include <string>
#include <vector>

#include "net.hpp"

namespace keha::server {

struct Server_context;

// Runs the sweep now and then every hour: its timer on the server's io_context, its store
// work on the blocking pool.
class Retention_sweep {
public:
    explicit Retention_sweep(Server_context& context);
    void start();
    void stop();

private:
    void schedule(std::chrono::seconds after);
    void delete_expired_meetings();
    void prune_access_log(std::int64_t now);
    void failed(std::exception_ptr error);

    Server_context& context_;
    net::steady_timer timer_;
};

}  // namespace keha::server
