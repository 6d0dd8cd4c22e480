#include "image.hpp"

#include <GLFW/glfw3.h>
#include <cstring>
#include <qrencode.h>
#include <stb/stb_image_write.h>  // implemented in Debian's libstb

namespace keha::desk {

Image read_framebuffer(int width, int height)
{
    Image image;
    image.width = width;
    image.height = height;
    image.rgba.resize(static_cast<std::size_t>(width) * height * 4);
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadPixels(0, 0, width, height, GL_RGBA, GL_UNSIGNED_BYTE, image.rgba.data());
    std::size_t row = static_cast<std::size_t>(width) * 4;
    std::vector<std::uint8_t> tmp(row);
    for (int y = 0; y < height / 2; ++y) {
        std::uint8_t* a = image.rgba.data() + row * y;
        std::uint8_t* b = image.rgba.data() + row * (height - 1 - y);
        std::memcpy(tmp.data(), a, row);
        std::memcpy(a, b, row);
        std::memcpy(b, tmp.data(), row);
    }
    for (std::size_t i = 3; i < image.rgba.size(); i += 4) image.rgba[i] = 255;  // the window is opaque
    return image;
}

bool write_png(const std::string& path, const Image& image)
{
    if (image.width <= 0 || image.height <= 0) return false;
    return stbi_write_png(path.c_str(), image.width, image.height, 4, image.rgba.data(), image.width * 4) != 0;
}

Qr make_qr(const std::string& text)
{
    Qr qr;
    QRcode* code = QRcode_encodeString(text.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!code) return qr;
    qr.size = code->width;
    qr.dark.resize(static_cast<std::size_t>(qr.size) * qr.size);
    for (int i = 0; i < qr.size * qr.size; ++i) qr.dark[static_cast<std::size_t>(i)] = code->data[i] & 1;
    QRcode_free(code);
    return qr;
}

}  // namespace keha::desk
