#include "open_connections.hpp"

#include <utility>

namespace keha::server {

Open_connections::Entry::Entry(Entry&& other) noexcept
    : list_(std::exchange(other.list_, nullptr)), id_(std::exchange(other.id_, 0))
{
}

Open_connections::Entry& Open_connections::Entry::operator=(Entry&& other) noexcept
{
    if (this != &other) {
        reset();
        list_ = std::exchange(other.list_, nullptr);
        id_ = std::exchange(other.id_, 0);
    }
    return *this;
}

Open_connections::Entry::~Entry() { reset(); }

void Open_connections::Entry::reset()
{
    if (list_) list_->remove(id_);
    list_ = nullptr;
}

Open_connections::Entry Open_connections::add(std::function<void()> close)
{
    std::unique_lock lock(mutex_);
    if (closing_) {
        lock.unlock();
        close();
        return {};
    }
    const auto id = next_id_++;
    closers_.emplace(id, std::move(close));
    return {this, id};
}

void Open_connections::close_all()
{
    std::map<std::uint64_t, std::function<void()>> closers;
    {
        std::lock_guard lock(mutex_);
        closing_ = true;
        closers.swap(closers_);
    }
    // Outside the lock: a connection that ends meanwhile takes itself off the (now empty) list.
    for (auto& [id, close] : closers) close();
}

std::size_t Open_connections::size() const
{
    std::lock_guard lock(mutex_);
    return closers_.size();
}

void Open_connections::remove(std::uint64_t id)
{
    std::lock_guard lock(mutex_);
    closers_.erase(id);
}

}  // namespace keha::server
