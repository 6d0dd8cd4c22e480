#pragma once
// The rooms in memory: loaded from the store on first use, unloaded when nobody has used
// them for a while.
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "net.hpp"
#include "room.hpp"

namespace keha::server {

struct Server_context;

class Room_registry {
public:
    explicit Room_registry(Server_context& context);

    // The room with this (normalized) code, loaded if needed, with one more user; nullptr
    // when there is no such room. Every acquire is paired with a release.
    std::shared_ptr<Room> acquire(const std::string& code);
    void release(const std::shared_ptr<Room>& room);

    void start_sweeping();
    void shutdown();
    std::size_t loaded() const;

private:
    void sweep();

    Server_context& context_;
    mutable std::mutex mutex_;
    std::map<std::string, std::shared_ptr<Room>> rooms_;
    net::steady_timer timer_;
};

}  // namespace keha::server
