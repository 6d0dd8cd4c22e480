#pragma once
// The store tests' room and calls: a new room's state from the default template, and the
// store's asynchronous append and delete waited for.
#include <fstream>
#include <future>
#include <string>
#include <utility>
#include <vector>

#include "keha/state.hpp"
#include "store.hpp"

namespace keha::store_test {

inline json new_state(const std::string& code)
{
    std::ifstream in(KEHA_TEST_TEMPLATE);
    Room_meta meta;
    meta.code = code;
    meta.title = "Kokous";
    meta.template_id = "default";
    meta.created_at = "2026-11-23T09:00:00Z";
    return make_state(meta, json::parse(in));
}

// Appends (with the questionnaire's anonymous answers in the same commit, if any) and waits for
// the outcome.
inline bool append_sync(server::Store& store, server::Append a)
{
    std::promise<bool> done;
    auto f = done.get_future();
    store.append(std::move(a), [&](bool ok) { done.set_value(ok); });
    return f.get();
}

inline bool append_sync(server::Store& store, server::Append a, std::vector<server::Rating_submission> answers)
{
    std::promise<bool> done;
    auto f = done.get_future();
    store.append(std::move(a), std::move(answers), [&](bool ok) { done.set_value(ok); });
    return f.get();
}

inline bool delete_sync(server::Store& store, const std::string& code)
{
    std::promise<bool> done;
    auto f = done.get_future();
    store.delete_room(code, [&](bool ok) { done.set_value(ok); });
    return f.get();
}

}  // namespace keha::store_test
