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

// The agreements of a process, counted by origin (keha/provenance.hpp): an action agreed (or
// done) is one agreement, made in the first meeting whose plan has it agreed; a later meeting
// whose plan has it agreed again (imported or copied) reaffirms it and makes no new one.
struct Process_agreement {
    const json* item;     // the plan item as it stands in this meeting
    std::string origin;   // "CODE/id" of the first item of its chain
    std::size_t made_in;  // the meeting where it was agreed first (== this one when made here)
};
// One list per state, in the order given (the process's meetings in the order they were created).
std::vector<std::vector<Process_agreement>> process_agreements(const std::vector<const json*>& states);

// `process`: {"id","title","teams":[...],"created_at"}; meetings in the order they were
// created. Markdown or HTML (JSON is not a report format). `language`: the catalog's, in which
// templates' texts are picked (empty: the first meeting's language).
std::string render_process_report(const json& process, const std::vector<Report_meeting>& meetings,
                                  Notes_format format, const json& catalog, std::string_view language = {});

}  // namespace keha
