#pragma once
// Quick polls (docs/protocol.md §8.1) as keha-desk shows them: each poll of the state with its
// texts in the reader's language, and its results as the server published them. The same
// choices as the browser's polls.js: which polls a person sees, which one is on the wall, and
// how large each word of a cloud is drawn.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "keha/json.hpp"

namespace keha::desk {

struct Poll_view {
    std::string id, kind, question, show, status;
    std::vector<std::string> options;
    bool multiple = false, about_self = false, shown = false;
    std::int64_t answered = 0, at = 0;
    // The results, when there are any to show to this reader.
    bool has_results = false, suppressed = false;
    std::int64_t count = 0, withheld = 0;
    std::vector<std::int64_t> option_counts;  // choice
    std::vector<std::int64_t> distribution;   // scale: 11 counts
    double median = 0;
    std::vector<std::pair<std::string, std::int64_t>> words;  // most given first, ties by word
};

// Every poll of the state but the prepared ones, last launched or shown first.
std::vector<Poll_view> launched_polls(const json& state, std::string_view language);
// The template's prepared polls, ready to launch.
std::vector<Poll_view> prepared_polls(const json& state, std::string_view language);
// The polls a person sees: open ones and those whose results are shown.
std::vector<Poll_view> visible_polls(const json& state, std::string_view language);
// Whether `pid` has answered the poll.
bool answered_poll(const json& state, const std::string& pid, const std::string& poll);

// A word of a cloud, with its size step 0..1 by count (the square root of its place between
// the least and the most given), at most `limit` words.
struct Cloud_word {
    std::string word;
    std::int64_t count = 0;
    float step = 0;
};
std::vector<Cloud_word> cloud_words(const Poll_view& poll, std::size_t limit = 60);

}  // namespace keha::desk
