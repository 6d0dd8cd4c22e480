#pragma once
// The facilitator stepping through the meeting's history (docs/protocol.md §10.3): the list
// of ops a slider runs over, the state as it stood after the chosen one, and the boards
// showing that past (read-only, under a banner) instead of the live room.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "api_client.hpp"
#include "document.hpp"
#include "pending.hpp"

namespace keha::desk {

struct App_state;
class Export_panel;

class History_panel {
public:
    // The list of ops (again); the state at `seq` (the latest wish wins while one is on its way).
    void open(App_state& app);
    void load(App_state& app, std::uint64_t seq);
    // Once the list is in: the seq at or before `seq`, its state loaded, the boards showing it.
    void go_to(App_state& app, std::uint64_t seq);
    void poll(App_state& app);
    bool busy() const { return listing_.busy() || loading_.busy(); }

    const std::vector<History_op>& ops() const { return ops_; }
    std::uint64_t last_seq() const { return last_seq_; }
    // The seq the slider's position i stands for: 0 the room as created, i the i-th op's.
    std::uint64_t seq_at(int i) const;
    // The state loaded (its seq, the op's time, the room as it stood then).
    std::optional<std::uint64_t> loaded() const { return loaded_; }
    const std::string& loaded_at() const { return at_; }
    const Document& document() const { return doc_; }
    const std::string& error() const { return error_; }
    // The boards are to draw the past (a state is loaded and the facilitator chose to see it).
    bool showing_past() const { return viewing_ && loaded_.has_value(); }
    // The past's document, which the boards draw in place of the live one while showing_past().
    Document& past() { return doc_; }

    // Whether the console's History tab is showing this frame: leaving it returns the boards
    // to the present, and showing it again asks for the list again.
    void tab_shown(bool shown);
    // The History tab: the slider, the state's summary, "show on the boards", the export as of then.
    void draw(App_state& app, Export_panel& exporting);
    // The banner above the boards while they show the past.
    void banner(App_state& app) const;

private:
    bool open_ = false;     // the list was asked for since the tab last showed
    bool viewing_ = false;  // the boards show the past instead of the live room
    Pending<Api_answer<History_list>> listing_;
    Pending<Api_answer<History_state_at>> loading_;
    std::vector<History_op> ops_;
    std::uint64_t last_seq_ = 0;
    int index_ = 0;  // the slider: 0 = the room as created, i = ops_[i-1]
    std::optional<std::uint64_t> wanted_, loaded_, goto_;  // seqs
    std::string at_;  // the loaded op's time
    Document doc_;    // the state as it stood
    std::string error_;
};

}  // namespace keha::desk
