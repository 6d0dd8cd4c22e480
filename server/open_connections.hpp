#pragma once
// Every open connection (HTTP, WebSocket, /metrics), so that a stopping server can close
// those still open once the members' byes had their time: then nothing is left for the I/O
// threads to wait for, run() returns, and everything is destroyed in order
// (docs/architecture.md, "Shutdown").
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>

#include "net.hpp"

namespace keha::server {

class Open_connections {
public:
    // A connection's place on the list; it leaves the list when this is destroyed (with the
    // session that holds it) or reset.
    class Entry {
    public:
        Entry() = default;
        Entry(Entry&& other) noexcept;
        Entry& operator=(Entry&& other) noexcept;
        ~Entry();
        void reset();

    private:
        friend class Open_connections;
        Entry(Open_connections* list, std::uint64_t id) : list_(list), id_(id) {}
        Open_connections* list_ = nullptr;
        std::uint64_t id_ = 0;
    };

    // `close` closes the connection; close_all calls it from any thread, so it only posts to
    // the connection's own executor. Added after close_all, it is called at once.
    [[nodiscard]] Entry add(std::function<void()> close);
    // Closes every connection on the list, and every one added from now on.
    void close_all();
    std::size_t size() const;

private:
    void remove(std::uint64_t id);

    mutable std::mutex mutex_;
    std::map<std::uint64_t, std::function<void()>> closers_;
    std::uint64_t next_id_ = 1;
    bool closing_ = false;
};

// The entry of `session`, whose close_now() is run on `executor` (the session's strand) if
// the session still exists then.
template <class Session, class Executor>
Open_connections::Entry track_connection(Open_connections& list, const std::shared_ptr<Session>& session,
                                         const Executor& executor)
{
    return list.add([weak = std::weak_ptr<Session>(session), executor] {
        net::post(executor, [weak] {
            if (auto s = weak.lock()) s->close_now();
        });
    });
}

}  // namespace keha::server
