#pragma once
// The rooms in memory: loaded from the store on first use (off the I/O threads, never under
// the registry's lock), unloaded when nobody has used them for a while.
#include <atomic>
#include <cstdint>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "net.hpp"
#include "off_io.hpp"
#include "room.hpp"

namespace keha::server {

struct Server_context;

class Room_registry {
public:
    explicit Room_registry(Server_context& context);

    // What acquire gives: the room, with one more user; or no room and no error when there is
    // no such room; or the error that kept it from being read (a Store_error: the caller
    // answers "unavailable"; anything else: an internal error). Every room given is paired
    // with a release.
    struct Acquired {
        std::shared_ptr<Room> room;
        std::exception_ptr error;
    };
    using Acquire_done = std::function<void(Acquired)>;
    // The room with this (normalized) code. A room in memory is given at once; one that is
    // not is read from the store on the blocking pool (off_io.hpp), once however many ask for
    // it meanwhile, and all of them get the same room. `done` runs on `executor`, never
    // inside this call.
    void acquire(const std::string& code, const net::any_io_executor& executor, Acquire_done done);
    void release(const std::shared_ptr<Room>& room);
    // Deletes the meeting (retention.hpp): its members get bye `reason`, no one can open it
    // meanwhile, and the store forgets it; `done(ok)` runs on the store's writer thread.
    void remove(const std::string& code, std::string reason, std::function<void(bool ok)> done);

    void start_sweeping();
    // Rooms leaving this node (Store::Lease_events): a room another node was asked for is
    // handed off (Room::hand_off) and unloaded; a room whose lease was lost sends its members on.
    // `node` names this node (host:port) in the database.
    void start_watching_leases(const std::string& node);
    // /healthz answered "ok": from the second time on (the balancer's `rise`), this node asks
    // for the rooms other nodes took from it (Store::reclaim_rooms), at most every 2 s.
    void healthy();
    void shutdown();
    std::size_t loaded() const;
    ~Room_registry();
    Room_registry(const Room_registry&) = delete;
    Room_registry& operator=(const Room_registry&) = delete;

private:
    struct Waiter {
        net::any_io_executor executor;
        Acquire_done done;
    };
    // A room being read from the store, and who asked for it meanwhile.
    struct Loading {
        std::vector<Waiter> waiters;
        bool removed = false;  // remove() ran meanwhile: what was read may be what it deleted
    };
    void load(const std::string& code);
    void on_loaded(const std::string& code, Off_io_result<std::shared_ptr<Room>> result);
    static void answer(Waiter waiter, Acquired acquired);
    void sweep();
    std::shared_ptr<Room> find(const std::string& code) const;
    void on_wanted(const std::string& code);
    void handed_off(const std::shared_ptr<Room>& room);

    Server_context& context_;
    mutable std::mutex mutex_;
    std::map<std::string, std::shared_ptr<Room>> rooms_;
    std::map<std::string, Loading> loading_;
    std::set<std::string> deleting_;
    net::steady_timer timer_;
    std::atomic<int> health_checks_{0};
    std::atomic<std::int64_t> reclaimed_ms_{0};
};

}  // namespace keha::server
