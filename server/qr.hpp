#pragma once
#include <optional>
#include <string>

namespace keha::server {

// An SVG QR code of `text` (libqrencode), dark modules on white, with a quiet zone.
std::optional<std::string> qr_svg(const std::string& text);

}  // namespace keha::server
