// The HTML notes printed by Chromium to PDF on A4, the first page turned into an image with
// pdftoppm (poppler-utils) and checked to carry ink: a print style that hid everything, or a
// page that failed to render, would leave it blank. Both tools come with `make` (Makefile).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>

#include "helpers.hpp"
#include "keha/notes.hpp"
#include "libkeha/meeting.hpp"

namespace keha::test {
namespace {

namespace fs = std::filesystem;

struct Gray_image {
    int width = 0, height = 0;
    std::vector<unsigned char> pixels;
};

// A binary PGM (P5, 8-bit) as pdftoppm -gray writes it.
Gray_image read_pgm(const fs::path& path)
{
    std::ifstream in(path, std::ios::binary);
    Gray_image img;
    std::string magic;
    int maxval = 0;
    in >> magic >> img.width >> img.height >> maxval;
    in.get();
    if (magic != "P5" || maxval != 255 || img.width <= 0 || img.height <= 0) return {};
    img.pixels.resize(static_cast<std::size_t>(img.width) * static_cast<std::size_t>(img.height));
    in.read(reinterpret_cast<char*>(img.pixels.data()), static_cast<std::streamsize>(img.pixels.size()));
    if (!in) return {};
    return img;
}

int run(const std::string& command) { return std::system((command + " >/dev/null 2>&1").c_str()); }

TEST(NotesPdf, HtmlNotesPrintToANonBlankA4Page)
{
    Meeting m(test_meta("fi"), default_template(), 1'795'424'400'000);
    auto f = m.join("Kaisa Koordinaattori", "other", "facilitator");
    auto p = m.join("Maija Meikäläinen", "professional");
    m.minutes(5);
    m.ok(f, "phase.goto", {{"phase", "timeline"}});
    for (int i = 0; i < 12; ++i)
        m.add(p, "timeline", "event", "Tapahtuma " + std::to_string(i) + ": äiti, koulu ja lastensuojelu tapasivat",
              {{"when", "2021-0" + std::to_string(1 + i % 9)}, {"sector", i % 2 ? "Koulu" : "Lastensuojelu"}});
    auto h = m.add(p, "vision", "hinders", "Tieto kulkee vain paperilla");
    m.add(p, "plan", "action", "Yhteinen palaveri kuukausittain", {{"who", "Maija"}, {"status", "agreed"}, {"addresses", h}});
    const std::string html = render_notes(m.state, Notes_format::html, catalog("fi"), m.notes_options());

    std::mt19937_64 random(std::random_device{}());
    const fs::path dir = fs::temp_directory_path() / ("keha-notes-pdf-" + std::to_string(random()));
    fs::create_directories(dir);
    std::ofstream(dir / "notes.html") << html;
    const std::string chromium = std::getenv("KEHA_CHROMIUM") ? std::getenv("KEHA_CHROMIUM") : "chromium";
    ASSERT_EQ(run("timeout 90 " + chromium + " --headless --no-sandbox --disable-gpu --user-data-dir=" + (dir / "profile").string() +
                  " --print-to-pdf=" + (dir / "notes.pdf").string() + " file://" + (dir / "notes.html").string()),
              0)
        << "chromium could not print the notes (is it installed? `make` installs it)";
    ASSERT_TRUE(fs::exists(dir / "notes.pdf"));
    ASSERT_EQ(run("pdftoppm -gray -r 60 -f 1 -l 1 " + (dir / "notes.pdf").string() + " " + (dir / "page").string()), 0)
        << "pdftoppm (poppler-utils) could not read the PDF";
    fs::path page;
    for (const auto& e : fs::directory_iterator(dir))
        if (e.path().extension() == ".pgm") page = e.path();
    ASSERT_FALSE(page.empty());
    Gray_image img = read_pgm(page);
    ASSERT_GT(img.width, 0);
    // A4 at 60 dpi: 8.27 × 11.69 inches.
    EXPECT_NEAR(img.width, 496, 3);
    EXPECT_NEAR(img.height, 702, 3);
    std::size_t ink = 0, ink_top = 0;
    for (int y = 0; y < img.height; ++y)
        for (int x = 0; x < img.width; ++x)
            if (img.pixels[static_cast<std::size_t>(y) * static_cast<std::size_t>(img.width) + static_cast<std::size_t>(x)] < 160) {
                ++ink;
                if (y < img.height / 4) ++ink_top;
            }
    const double share = static_cast<double>(ink) / static_cast<double>(img.pixels.size());
    EXPECT_GT(share, 0.01) << "the first page is (almost) blank";
    EXPECT_LT(share, 0.5) << "the first page is (almost) all ink";
    EXPECT_GT(ink_top, 200u) << "no title at the top of the first page";
    fs::remove_all(dir);
}

}  // namespace
}  // namespace keha::test
