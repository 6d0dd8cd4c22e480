#include "room_registry.hpp"

#include <malloc.h>

#include "log.hpp"
#include "server_context.hpp"

namespace keha::server {

namespace {

// The room's lease first, then the room (store.hpp, claim_room): loaded after the lease, it
// holds everything the node that had the room before committed. Nothing: no such room.
std::optional<Loaded_room> claim_and_load(Store& store, const std::string& code)
{
    if (!store.claim_room(code)) {
        // This node is where the load balancer sends the room's members now: the holder lets it go.
        try {
            store.want_room(code);
        } catch (const Store_error& e) {
            log_warning("room_want_failed", "room=" + code + " " + e.what());
        }
        throw Room_elsewhere("room " + code + " is open on another node");
    }
    std::optional<Loaded_room> loaded;
    try {
        loaded = store.load_room(code);
    } catch (...) {
        store.release_room(code);
        throw;
    }
    if (!loaded) store.release_room(code);
    return loaded;
}

}  // namespace

Room_registry::Room_registry(Server_context& context) : context_(context), timer_(context.ioc) {}

// The store's watcher calls into the registry: it stops (and finishes a report) first.
Room_registry::~Room_registry() { context_.store.watch_leases({}); }

void Room_registry::answer(Waiter waiter, Acquired acquired)
{
    net::post(waiter.executor, [done = std::move(waiter.done), acquired = std::move(acquired)]() mutable {
        done(std::move(acquired));
    });
}

void Room_registry::acquire(const std::string& code, const net::any_io_executor& executor, Acquire_done done)
{
    Waiter waiter{executor, std::move(done)};
    std::lock_guard lock(mutex_);
    if (deleting_.count(code)) return answer(std::move(waiter), {});
    auto it = rooms_.find(code);
    if (it != rooms_.end() && !it->second->broken()) {
        ++it->second->users;
        return answer(std::move(waiter), {it->second, nullptr});
    }
    // A broken room still waiting for the store to answer its appends: a second copy must not
    // append before the store has refused all of the first one's.
    if (it != rooms_.end() && it->second->busy())
        return answer(std::move(waiter),
                      {nullptr, std::make_exception_ptr(Store_unavailable("room " + code + " is being reopened"))});
    auto [loading, first] = loading_.try_emplace(code);
    loading->second.waiters.push_back(std::move(waiter));
    if (first) load(code);
}

void Room_registry::load(const std::string& code)
{
    // Read and replayed on the blocking pool; only the finished room is taken under the lock.
    context_.blocking.run(
        context_.ioc.get_executor(),
        [this, code]() -> std::shared_ptr<Room> {
            auto stored = claim_and_load(context_.store, code);
            return stored ? std::make_shared<Room>(context_, std::move(*stored)) : nullptr;
        },
        [this, code](Off_io_result<std::shared_ptr<Room>> result) { on_loaded(code, std::move(result)); });
}

void Room_registry::on_loaded(const std::string& code, Off_io_result<std::shared_ptr<Room>> result)
{
    Acquired acquired{nullptr, result.error};
    std::vector<Waiter> waiters;
    std::size_t releases = 0;
    {
        std::lock_guard lock(mutex_);
        auto loading = loading_.extract(code);
        waiters = std::move(loading.mapped().waiters);
        // Deleted meanwhile: what was read may be what the deletion took away.
        const bool gone = loading.mapped().removed || deleting_.count(code) > 0;
        if (context_.stopping && !acquired.error) {
            // Registry::shutdown has said bye to the rooms in memory: a room loaded after it
            // is not started (docs/architecture.md, "Shutdown").
            acquired.error = std::make_exception_ptr(Store_unavailable("the server is stopping"));
        } else if (result.value && *result.value && !gone) {
            releases += rooms_.count(code);  // the broken copy's lease
            acquired.room = std::move(*result.value);
            rooms_[code] = acquired.room;
            // Started before anyone is given it: its own work on the strand comes first.
            acquired.room->start();
            acquired.room->users += static_cast<int>(waiters.size());
            log_info("room_loaded", "room=" + code);
        }
        if (result.value && *result.value && !acquired.room) ++releases;  // not kept
    }
    // The store is told after the lock is let go (it never is under it).
    for (; releases > 0; --releases) context_.store.release_room(code);
    for (auto& waiter : waiters) answer(std::move(waiter), acquired);
}

void Room_registry::release(const std::shared_ptr<Room>& room)
{
    room->last_used_ms = now_ms();
    --room->users;
}

void Room_registry::remove(const std::string& code, std::string reason, std::function<void(bool ok)> done)
{
    std::shared_ptr<Room> room;
    {
        std::lock_guard lock(mutex_);
        deleting_.insert(code);
        if (auto loading = loading_.find(code); loading != loading_.end()) loading->second.removed = true;
        if (auto it = rooms_.find(code); it != rooms_.end()) {
            room = std::move(it->second);
            rooms_.erase(it);
        }
    }
    auto finish = [this, code, done = std::move(done)](bool ok) {
        {
            std::lock_guard lock(mutex_);
            deleting_.erase(code);
        }
        if (done) done(ok);
    };
    if (room) room->remove(std::move(reason), std::move(finish));
    else context_.store.delete_room(code, std::move(finish));
}

void Room_registry::start_sweeping()
{
    timer_.expires_after(std::chrono::seconds(std::max(1u, std::min(10u, context_.options.idle_unload_s))));
    timer_.async_wait([this](beast::error_code ec) {
        if (ec) return;
        sweep();
        start_sweeping();
    });
}

void Room_registry::sweep()
{
    const auto limit = static_cast<std::int64_t>(context_.options.idle_unload_s) * 1000;
    std::vector<std::string> unloaded;
    {
        std::lock_guard lock(mutex_);
        for (auto it = rooms_.begin(); it != rooms_.end();) {
            const auto& room = it->second;
            if (room->users == 0 && !room->busy() && (room->broken() || now_ms() - room->last_used_ms > limit)) {
                unloaded.push_back(it->first);
                it = rooms_.erase(it);
            } else {
                ++it;
            }
        }
    }
    // The store is not called under the lock: a hello for another room never waits for it.
    for (const auto& code : unloaded) {
        log_info("room_unloaded", "room=" + code);
        context_.store.release_room(code);
    }
    // The unloaded rooms' memory goes back to the system, not only to malloc's free lists
    // (a big meeting's state and log); off the I/O threads, as it walks the whole heap.
    if (!unloaded.empty()) context_.blocking.run(context_.ioc.get_executor(), [] { malloc_trim(0); }, [](auto) {});
}

void Room_registry::start_watching_leases(const std::string& node)
{
    context_.store.watch_leases({
        node,
        [this](const std::string& code) { on_wanted(code); },
        [this](const std::vector<std::string>& codes) {
            if (context_.stopping) return;
            for (const auto& code : codes)
                if (auto room = find(code)) room->lease_lost();
        },
    });
}

void Room_registry::healthy()
{
    constexpr std::int64_t every_ms = 2000;
    const auto now = now_ms();
    auto last = reclaimed_ms_.load();
    if (++health_checks_ < 2 || now - last < every_ms || !reclaimed_ms_.compare_exchange_strong(last, now)) return;
    context_.blocking.run(
        context_.ioc.get_executor(), [&store = context_.store] { store.reclaim_rooms(); },
        [](Off_io_result<std::monostate> result) {
            if (!result.error) return;
            try {
                std::rethrow_exception(result.error);
            } catch (const std::exception& e) {
                log_warning("reclaim_failed", e.what());
            }
        });
}

std::shared_ptr<Room> Room_registry::find(const std::string& code) const
{
    std::lock_guard lock(mutex_);
    auto it = rooms_.find(code);
    return it == rooms_.end() ? nullptr : it->second;
}

void Room_registry::on_wanted(const std::string& code)
{
    auto room = find(code);
    if (!room || context_.stopping) return;
    room->hand_off([this, room] { handed_off(room); });
}

// On the room's strand, its members sent on: it is unloaded, and its lease goes behind its
// last appends, so the next node loads everything this one committed.
void Room_registry::handed_off(const std::shared_ptr<Room>& room)
{
    {
        std::lock_guard lock(mutex_);
        auto it = rooms_.find(room->code());
        if (it == rooms_.end() || it->second != room) return;
        rooms_.erase(it);
    }
    context_.store.release_room(room->code());
}

void Room_registry::shutdown()
{
    timer_.cancel();
    std::lock_guard lock(mutex_);
    for (auto& [code, room] : rooms_) room->shutdown();
}

std::size_t Room_registry::loaded() const
{
    std::lock_guard lock(mutex_);
    return rooms_.size();
}

}  // namespace keha::server
