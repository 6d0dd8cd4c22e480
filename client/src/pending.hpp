#pragma once
// One answer on its way from a worker thread: started once, taken once when it has arrived.
// The UI thread never waits on it; it asks each frame whether the answer is in.
#include <chrono>
#include <future>
#include <optional>
#include <utility>

namespace keha::desk {

template <class T>
class Pending {
public:
    // Runs `work` (returning a T) on its own thread.
    template <class Work>
    void start(Work&& work)
    {
        future_ = std::async(std::launch::async, std::forward<Work>(work));
    }
    // Started, and not taken yet.
    bool busy() const { return future_.valid(); }
    // The answer once it has arrived (then the Pending is free again); nothing before.
    std::optional<T> take()
    {
        if (!future_.valid() || future_.wait_for(std::chrono::seconds(0)) != std::future_status::ready)
            return std::nullopt;
        return future_.get();
    }

private:
    std::future<T> future_;
};

}  // namespace keha::desk
