#include "room_registry.hpp"

#include "log.hpp"
#include "server_context.hpp"

namespace keha::server {

Room_registry::Room_registry(Server_context& context) : context_(context), timer_(context.ioc) {}

std::shared_ptr<Room> Room_registry::acquire(const std::string& code)
{
    std::lock_guard lock(mutex_);
    if (deleting_.count(code)) return nullptr;
    auto it = rooms_.find(code);
    if (it != rooms_.end() && !it->second->broken()) {
        ++it->second->users;
        return it->second;
    }
    // A broken room still waiting for the store to answer its appends: a second copy must not
    // append before the store has refused all of the first one's.
    if (it != rooms_.end() && it->second->busy()) throw Store_unavailable("room " + code + " is being reopened");
    auto loaded = context_.store.load_room(code);
    if (!loaded) return nullptr;
    auto room = std::make_shared<Room>(context_, std::move(*loaded));
    rooms_[code] = room;
    room->start();
    ++room->users;
    log_info("room_loaded", "room=" + code);
    return room;
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
    std::lock_guard lock(mutex_);
    for (auto it = rooms_.begin(); it != rooms_.end();) {
        const auto& room = it->second;
        if (room->users == 0 && !room->busy() && (room->broken() || now_ms() - room->last_used_ms > limit)) {
            log_info("room_unloaded", "room=" + it->first);
            it = rooms_.erase(it);
        } else {
            ++it;
        }
    }
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
