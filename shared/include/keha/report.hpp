#pragma once
// The report of a process: every meeting of it, how the plan evolved from meeting to meeting
// (proposed → agreed → done, following each action through imports and copies), the
// agreements, the commitments, and the ratings across the meetings (a chart in HTML).
#include <string>
#include <vector>

#include "keha/json.hpp"
#include "keha/notes.hpp"

namespace keha {

struct Report_meeting {
    json state;           // the meeting's full state (hidden items are left out here)
    Meeting_times times;  // from its op log
};

// The numbers of one meeting that a process lists: participants, items per board,
// agreements (plan items agreed or done), commitments, answers to the questionnaire.
json meeting_counts(const json& state);

// `process`: {"id","title","teams":[...],"created_at"}; meetings in the order they were
// created. Markdown or HTML (JSON is not a report format).
std::string render_process_report(const json& process, const std::vector<Report_meeting>& meetings,
                                  Notes_format format, const json& catalog);

}  // namespace keha
