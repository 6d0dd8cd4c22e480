#pragma once
// keha-desk windows on a meeting that runs through libkeha's reducer (the facilitation suites'
// Team: a facilitator, three professionals, two leaders), as the server serves them: each
// window is welcomed with the view the server gives its person (view_for) and then sent each
// command's patch as split_patch gives it to that person. States the server really produces,
// never hand-built ones.
#include <gtest/gtest.h>

#include <deque>
#include <string>
#include <vector>

#include "document.hpp"
#include "facilitation/team.hpp"
#include "keha/ratings.hpp"
#include "keha/view.hpp"

namespace keha::desk::test {

// A meeting and the keha-desk windows open on it.
class Desks {
public:
    keha::test::Team t;

    // A window of `pid`, welcomed now with what the server shows them.
    Document& open(const std::string& pid, Role role)
    {
        windows_.push_back({keha::Viewer{pid, role}, Document{}});
        welcome(windows_.back());
        return windows_.back().doc;
    }
    // Every window welcomed afresh, as the server does when what members may see changed.
    void welcome_again()
    {
        for (Window& w : windows_) welcome(w);
    }
    // The facilitator's command and a participant's, their patches sent to every window.
    void f(const std::string& cmd, json args = json::object()) { deliver(t.f(cmd, std::move(args))); }
    void p(const std::string& pid, const std::string& cmd, json args = json::object())
    {
        deliver(t.p(pid, cmd, std::move(args)));
    }
    // The facilitator's command that needs the server's input (ratings.close's results).
    void f(const std::string& cmd, json args, const json& server_input)
    {
        deliver(t.ok(keha::Actor{t.fac, keha::Role::facilitator}, cmd, std::move(args), &server_input));
    }
    // The server's own command (participant.offline and the like).
    void server(const std::string& cmd, json args) { deliver(t.ok(keha::test::Meeting::server, cmd, std::move(args))); }
    // The id of the item the last command added.
    std::string last_item() const { return "i" + std::to_string(t.seq); }

private:
    struct Window {
        keha::Viewer viewer;
        Document doc;
    };
    void welcome(Window& w)
    {
        json welcome = {{"type", "welcome"}, {"you", w.viewer.pid}, {"role", std::string(keha::to_string(w.viewer.role))},
                        {"token", "t"}, {"seq", t.seq}, {"state", keha::view_for(t.state, w.viewer)}};
        ASSERT_EQ(w.doc.apply_welcome(welcome), Apply_result::applied);
    }
    void deliver(const json& patch)
    {
        const keha::Patch_views views = keha::split_patch(patch, t.state);
        for (Window& w : windows_) {
            json message = {{"type", "patch"}, {"seq", t.seq}, {"by", t.fac}, {"cmd", "x"},
                            {"patch", views.for_viewer(w.viewer)}};
            ASSERT_EQ(w.doc.apply_patch_message(message), Apply_result::applied) << w.viewer.pid << " at seq " << t.seq;
        }
    }
    std::deque<Window> windows_;  // a deque: the Documents handed out never move
};

// The closing questionnaire as the server runs it: the participants' rating.submit, then
// ratings.close with the results the server computes from what was submitted
// (keha::rating_scores, keha::rating_comment, keha::rating_results).
class Questionnaire {
public:
    explicit Questionnaire(Desks& d) : d_(d) { d_.f("ratings.open"); }
    void submit(const std::string& pid, json answers, const std::string& comment = {})
    {
        json args = {{"answers", std::move(answers)}};
        if (!comment.empty()) args["comment"] = comment;
        d_.p(pid, "rating.submit", args);
        for (const auto& score : keha::rating_scores(args)) scores_.push_back(score);
        if (auto c = keha::rating_comment(args)) comments_.push_back(*c);
        ++submissions_;
    }
    void close()
    {
        json results = keha::rating_results(d_.t.state["ratings"]["questions"], submissions_, scores_, comments_);
        d_.f("ratings.close", json::object(), results);
    }

private:
    Desks& d_;
    std::uint64_t submissions_ = 0;
    std::vector<keha::Rating_score> scores_;
    std::vector<std::string> comments_;
};

}  // namespace keha::desk::test
