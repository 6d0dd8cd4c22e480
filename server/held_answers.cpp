#include "held_answers.hpp"

#include <iterator>

namespace keha::server {

void Held_answers::hold(const std::string& topic, json answer)
{
    held_[topic].push_back(std::move(answer));
    recount();
}

void Held_answers::take_back(const std::string& topic, const json& answer)
{
    auto it = held_.find(topic);
    if (it == held_.end()) return;
    auto& answers = it->second;
    // Equal answers are interchangeable: which of them goes cannot be told apart.
    if (auto found = std::find(answers.begin(), answers.end(), answer); found != answers.end()) answers.erase(found);
    if (answers.empty()) held_.erase(it);
    recount();
}

std::size_t Held_answers::count(const std::string& topic) const
{
    auto it = held_.find(topic);
    return it == held_.end() ? 0 : it->second.size();
}

std::vector<std::string> Held_answers::topics() const
{
    std::vector<std::string> out;
    for (const auto& [topic, answers] : held_) out.push_back(topic);
    return out;
}

std::vector<json> Held_answers::release(const std::string& topic, std::size_t n)
{
    auto it = held_.find(topic);
    if (it == held_.end()) return {};
    auto& answers = it->second;
    mix(answers);
    const auto first = answers.end() - static_cast<std::ptrdiff_t>(std::min(n, answers.size()));
    std::vector<json> chosen(std::make_move_iterator(first), std::make_move_iterator(answers.end()));
    answers.erase(first, answers.end());
    if (answers.empty()) held_.erase(it);
    recount();
    return chosen;
}

void Held_answers::forget(const std::string& topic)
{
    held_.erase(topic);
    recount();
}

void Held_answers::clear()
{
    held_.clear();
    recount();
}

void Held_answers::recount()
{
    std::size_t n = 0;
    for (const auto& [topic, answers] : held_) n += answers.size();
    total_ = n;
}

}  // namespace keha::server
