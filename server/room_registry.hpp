#pragma once
// The rooms in memory: loaded from the store on first use, unloaded when nobody has used
// them for a while.
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "net.hpp"
#include "room.hpp"

namespace keha::server {

struct Server_context;

class Room_registry {
public:
    explicit Room_registry(Server_context& context);

    // The room with this (normalized) code, loaded if needed, with one more user; nullptr
    // when there is no such room. Every acquire is paired with a release. Throws
    // Store_error when the store cannot be read (the caller answers "unavailable").
    std::shared_ptr<Room> acquire(const std::string& code);
    void release(const std::shared_ptr<Room>& room);
    // Deletes the meeting (retention.hpp): its members get bye `reason`, no one can open it
    // meanwhile, and the store forgets it; `done(ok)` runs on the store's writer thread.
    void remove(const std::string& code, std::string reason, std::function<void(bool ok)> done);

    void start_sweeping();
    void shutdown();
    std::size_t loaded() const;

private:
    void sweep();

    Server_context& context_;
    mutable std::mutex mutex_;
    std::map<std::string, std::shared_ptr<Room>> rooms_;
    std::set<std::string> deleting_;
    net::steady_timer timer_;
};

}  // namespace keha::server
