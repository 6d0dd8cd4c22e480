#include "qr.hpp"

#include <qrencode.h>

#include <memory>

namespace keha::server {

std::optional<std::string> qr_svg(const std::string& text)
{
    std::unique_ptr<QRcode, decltype(&QRcode_free)> code(
        QRcode_encodeString(text.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1), &QRcode_free);
    if (!code) return std::nullopt;
    const int w = code->width;
    const int quiet = 4;
    const int size = w + 2 * quiet;
    std::string path;
    for (int y = 0; y < w; ++y)
        for (int x = 0; x < w; ++x)
            if (code->data[y * w + x] & 1)
                path += "M" + std::to_string(x + quiet) + " " + std::to_string(y + quiet) + "h1v1h-1z";
    return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + std::to_string(size) + " " +
           std::to_string(size) + "\" shape-rendering=\"crispEdges\"><rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>" +
           "<path fill=\"#000\" d=\"" + path + "\"/></svg>";
}

}  // namespace keha::server
