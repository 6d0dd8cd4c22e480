#pragma once
// Where each column of a board ends, kept beside a room's state, so that an item added finds
// its place (order_after_last, keha/board_order.hpp) without reading every item of its board:
// in a big room, or in many rooms at once, that read was most of an item.add's cost. It mirrors
// the column and order of every item of each board it has read, and stays exact as long as it
// is told every operation applied to the state (the reducer's Patch tells it each one as it
// applies it) and is cleared when the state is replaced (a load, a roll-back).
#include <map>
#include <optional>
#include <set>
#include <string>

#include "keha/json.hpp"

namespace keha {

class Column_ends {
public:
    // What order_after_last(state.boards[board].items, column) gives.
    double after_last(const json& state, const std::string& board, const std::string& column);
    // One RFC 6902 operation was applied to the state.
    void changed(const json& op);
    void clear() { boards_.clear(); }

private:
    struct Place {
        std::optional<std::string> column;  // none: not a string, so in no column
        double order = 0;
    };
    struct Board {
        std::map<std::string, Place> items;                     // item id -> where it stands
        std::map<std::string, std::multiset<double>> columns;  // column -> its items' orders
        void put(const std::string& id, const json& item);
        void erase(const std::string& id);
        void place(const std::string& id, Place place);
    };
    Board& read(const json& state, const std::string& board);
    void item_field_changed(Board& board, const std::string& id, const std::string& field, const json& op);

    std::map<std::string, Board> boards_;  // the boards read so far
};

}  // namespace keha
