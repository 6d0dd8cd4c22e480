#pragma once
// The wall: full screen, no chrome, large type. The current phase and its question, the
// current board, the timer, the join code with a QR code, and whose hand is up.
#include <string>
#include <vector>

#include "chime.hpp"
#include "theme.hpp"
#include "view.hpp"

namespace keha::desk {

class View_projector : public View {
public:
    struct Card {
        const json* item = nullptr;
        ImVec2 pos, size;
        ImU32 accent = 0;
    };
    struct Label {
        std::string text;
        ImVec2 pos;
        ImU32 colour = 0;
        float width = 0;
    };
    // Where everything on the board goes; rebuilt only when the document, the board or
    // the area changes, so a steady frame only draws.
    struct Layout {
        std::uint64_t version = ~std::uint64_t{0};
        std::string board;
        std::string lang;
        ImVec2 min, max;
        float size = 0;   // font size of item text
        std::vector<Card> cards;
        std::vector<Label> labels;  // column headers
        std::size_t left_out = 0;   // items that did not fit
        std::size_t private_items = 0;
    };

protected:
    const char* window_id() const override { return "##projector"; }
    bool visible(const App_state& app) const override { return app.face == Face::projector; }
    void place(const App_state&, ImVec2 display, ImVec2& pos, ImVec2& size) const override
    {
        pos = ImVec2(0, 0);
        size = display;
    }
    ImGuiWindowFlags flags() const override;
    void content(App_state& app) override;

private:
    float draw_header(App_state& app, ImDrawList* list, ImVec2 min, float width);  // returns its bottom
    float draw_turns(App_state& app, ImDrawList* list, ImVec2 min, float width);
    void draw_sidebar(App_state& app, ImDrawList* list, ImVec2 min, ImVec2 max);
    float draw_timer_card(App_state& app, ImDrawList* list, ImVec2 min, float right);
    float draw_join_card(App_state& app, ImDrawList* list, ImVec2 min, ImVec2 max);
    void draw_hands(App_state& app, ImDrawList* list, ImVec2 min, ImVec2 max);
    void draw_board(App_state& app, ImDrawList* list, ImVec2 min, ImVec2 max);
    void draw_card(App_state& app, ImDrawList* list, const Card& card);
    void draw_no_board(App_state& app, ImDrawList* list, ImVec2 min, ImVec2 max);
    void build(App_state& app, const std::string& board, ImVec2 min, ImVec2 max);
    bool build_at(App_state& app, const std::string& board, float size);

    Layout layout_;
    Chime_trigger chime_;  // --chime: once per time box that ends while this wall watches
    const theme::Wall_palette* wall_ = &theme::wall_palette("default");  // this frame's (the room's wall_theme)
};

}  // namespace keha::desk
