#pragma once
// The closing questionnaire: short anonymous 0–10 questions from the template (docs/facilitator-guide.md,
// Measures). The state holds the questions, whether the questionnaire is open, how many have
// answered, and — only after the facilitator closes it — the aggregated results. Scores never
// enter the state or the op log; the server keeps them apart from who answered.
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "keha/json.hpp"

namespace keha {

// Results are withheld below this many answers (per questionnaire and per question).
inline constexpr std::size_t ratings_minimum = 3;

// Answers are never written one by one (docs/privacy.md, "Anonymous ratings"): the server
// holds them in memory and writes `ratings_batch` of them, chosen at random, once it holds
// twice that many, and the rest at the close when they are at least `ratings_batch`. So every
// write mixes at least this many answers, and could hold any answer given so far.
inline constexpr std::size_t ratings_batch = ratings_minimum;

// {"questions":[{"id","text"}], "open":false, "answered":0, "results":null} from the
// template's "ratings":[{"id","text":{"fi","sv","en"}}], the texts in every language.
json initial_ratings(const json& room_template);

// An English message when a template's "ratings" is malformed.
std::optional<std::string> check_template_ratings(const json& ratings);

// One score as the server stores it: which question, 0–10. No person, no time.
struct Rating_score {
    std::string question;
    int score = 0;
};

// The scores of a submission that rating.submit accepted, in question order; the reducer
// has already checked them (ids known, 0–10), this only reads them.
std::vector<Rating_score> rating_scores(const json& submit_args);
std::optional<std::string> rating_comment(const json& submit_args);

// The results put into the state when the questionnaire closes: with fewer than
// `ratings_minimum` submissions {"suppressed":true,"minimum":3}; otherwise
// {"count", "questions":[{"id","text","count","median","distribution":[11 counts]}],
//  "comments":[sorted], "comments_shown":[]} where a question with too few scores has
// "suppressed":true instead of a median and distribution. "comments_shown" lists the indexes
// of the comments the facilitator let the wall show (ratings.comment.show); everyone but
// facilitators gets only those comments (public_results).
json rating_results(const json& questions, std::uint64_t submissions, const std::vector<Rating_score>& scores,
                    std::vector<std::string> comments);

// `results` as everyone but a facilitator sees them: "comments" only those the facilitator
// chose to show, without "comments_shown". Anything else is returned as it is.
json public_results(const json& results);

}  // namespace keha
