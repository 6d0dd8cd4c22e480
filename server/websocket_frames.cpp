#include "websocket_frames.hpp"

#include <utility>

namespace keha::server {

void append_text_frame_header(std::string& out, std::size_t length)
{
    out += static_cast<char>(0x81);  // FIN, opcode 1 (text)
    if (length < 126) {
        out += static_cast<char>(length);
        return;
    }
    const int bytes = length <= 0xffff ? 2 : 8;
    out += static_cast<char>(bytes == 2 ? 126 : 127);
    for (int i = bytes - 1; i >= 0; --i) out += static_cast<char>((length >> (8 * i)) & 0xff);
}

void Frame_batch::take(std::deque<Shared_text>& queue)
{
    // Where each piece lies: in framed_ (offsets, as framed_ may still grow) or in a message.
    struct Piece {
        std::size_t offset, length;
        const std::string* message;  // null: a range of framed_
    };
    std::vector<Piece> pieces;
    std::size_t bytes = 0, run_start = framed_.size();
    auto end_run = [&] {
        if (framed_.size() > run_start) pieces.push_back({run_start, framed_.size() - run_start, nullptr});
        run_start = framed_.size();
    };
    while (!queue.empty() && held_.size() < max_messages && bytes < max_bytes) {
        Shared_text message = std::move(queue.front());
        queue.pop_front();
        append_text_frame_header(framed_, message->size());
        if (message->size() < copy_below) {
            framed_ += *message;
        } else {
            end_run();
            pieces.push_back({0, message->size(), message.get()});
        }
        bytes += message->size();
        held_.push_back(std::move(message));
    }
    end_run();
    buffers_.clear();
    buffers_.reserve(pieces.size());
    for (const auto& p : pieces)
        buffers_.push_back(p.message ? net::buffer(*p.message) : net::buffer(framed_.data() + p.offset, p.length));
}

bool Frame_batch::written(std::size_t bytes)
{
    auto first = buffers_.begin();
    while (first != buffers_.end() && bytes >= first->size()) bytes -= first->size(), ++first;
    buffers_.erase(buffers_.begin(), first);
    if (!buffers_.empty()) buffers_.front() += bytes;
    return buffers_.empty();
}

void Frame_batch::clear()
{
    framed_.clear();
    held_.clear();
    buffers_.clear();
}

}  // namespace keha::server
