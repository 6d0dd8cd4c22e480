#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace keha::desk {

// RGBA pixels, top row first.
struct Image {
    int width = 0, height = 0;
    std::vector<std::uint8_t> rgba;
};

// Reads the current framebuffer (GL's rows are bottom first) into an image.
Image read_framebuffer(int width, int height);
bool write_png(const std::string& path, const Image& image);

// A QR code as modules (true = dark), `size` x `size`; empty when the text does not fit.
struct Qr {
    int size = 0;
    std::vector<bool> dark;
    bool at(int x, int y) const { return dark[static_cast<std::size_t>(y * size + x)]; }
};
Qr make_qr(const std::string& text);

}  // namespace keha::desk
