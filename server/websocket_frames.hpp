#pragma once
// Text messages framed by the server itself (RFC 6455 §5.2) for one gather write: a burst of
// queued messages leaves in one system call instead of one per message. A server's frames
// are not masked, so a message is framed by a header of 2 to 10 bytes and nothing else.
// Only valid while permessage-deflate is off, which the server never negotiates.
#include <cstddef>
#include <deque>
#include <string>
#include <vector>

#include "net.hpp"

namespace keha::server {

// The header of a whole (FIN) unmasked text frame of `length` bytes, appended to `out`.
void append_text_frame_header(std::string& out, std::size_t length);

class Frame_batch {
public:
    // At most this many messages, and no more once this many bytes are taken, per write.
    static constexpr std::size_t max_messages = 512;
    static constexpr std::size_t max_bytes = 512 * 1024;
    // Messages up to this size are copied next to their headers; longer ones are written
    // from where they are.
    static constexpr std::size_t copy_below = 2048;

    // Moves messages from the front of `queue` into the (empty) batch and frames them.
    void take(std::deque<Shared_text>& queue);
    // What to write; valid until clear().
    const std::vector<net::const_buffer>& buffers() const { return buffers_; }
    // Drops the first `bytes` of what to write (they are written); true when nothing is left.
    bool written(std::size_t bytes);
    std::size_t size() const { return held_.size(); }
    bool empty() const { return held_.empty(); }
    void clear();

private:
    std::string framed_;             // headers, and the short messages themselves
    std::vector<Shared_text> held_;  // every message of the batch, until its write is done
    std::vector<net::const_buffer> buffers_;
};

}  // namespace keha::server
