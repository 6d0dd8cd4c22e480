#pragma once
// Work that may block (a store read, a flush) runs here, never on an I/O thread: one I/O
// thread held by SQLite would stall every room and connection scheduled on it.
#include <exception>
#include <optional>
#include <type_traits>
#include <utility>
#include <variant>

#include "net.hpp"

namespace keha::server {

// `executor`, keeping its io_context's run() from returning while this copy exists. Whatever
// will post an answer back from another thread (the blocking pool, the store's writer) holds
// one until it has posted, so a stopping server waits for the answer instead of dropping it
// (docs/architecture.md, "Shutdown").
template <class Executor>
auto keep_running(const Executor& executor)
{
    return net::prefer(executor, net::execution::outstanding_work.tracked);
}

// What blocking work gave: its value, or the exception it threw (logged and answered by the
// caller, which knows whether that is a 500, an `unavailable` or nothing to say).
template <class T>
struct Off_io_result {
    std::optional<T> value;
    std::exception_ptr error;
};

// The threads blocking work runs on. Two: a slow read (a big meeting's notes) does not
// make every other read wait behind it; the store serializes what must be serialized.
class Blocking_pool {
public:
    explicit Blocking_pool(std::size_t threads = 2) : pool_(threads) {}
    ~Blocking_pool() { stop(); }
    Blocking_pool(const Blocking_pool&) = delete;
    Blocking_pool& operator=(const Blocking_pool&) = delete;

    // Waits for the work already started; later work is not run.
    void stop()
    {
        pool_.stop();
        pool_.join();
    }

    // Runs `work()` on the pool, then `done(Off_io_result<T>)` on `executor` (a strand, or
    // an I/O executor). `done` always runs unless the pool was stopped first; until it has
    // been posted, the io_context's run() does not return.
    template <class Executor, class Work, class Done>
    void run(const Executor& executor, Work work, Done done)
    {
        using R = std::invoke_result_t<Work&>;
        using T = std::conditional_t<std::is_void_v<R>, std::monostate, R>;  // work with no value: monostate
        net::post(pool_, [executor = keep_running(executor), work = std::move(work), done = std::move(done)]() mutable {
            Off_io_result<T> result;
            try {
                if constexpr (std::is_void_v<R>) {
                    work();
                    result.value.emplace();
                } else {
                    result.value.emplace(work());
                }
            } catch (...) {
                result.error = std::current_exception();
            }
            net::post(executor, [done = std::move(done), result = std::move(result)]() mutable {
                done(std::move(result));
            });
        });
    }

private:
    net::thread_pool pool_;
};

}  // namespace keha::server
