#include "ws_load.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <stdexcept>

namespace bench {

std::int64_t now_ns()
{
    timespec t{};
    clock_gettime(CLOCK_MONOTONIC, &t);
    return std::int64_t(t.tv_sec) * 1'000'000'000 + t.tv_nsec;
}

namespace {

// Clients must mask their frames (RFC 6455 §5.3); any key will do for a load generator.
constexpr unsigned char mask_key[4] = {0x37, 0xfa, 0x21, 0x3d};

void append_frame(std::string& out, std::string_view text, unsigned char opcode = 0x1)
{
    out.push_back(static_cast<char>(0x80 | opcode));
    const std::size_t n = text.size();
    if (n < 126) {
        out.push_back(static_cast<char>(0x80 | n));
    } else if (n < 65536) {
        out.push_back(static_cast<char>(0x80 | 126));
        out.push_back(static_cast<char>(n >> 8));
        out.push_back(static_cast<char>(n & 0xff));
    } else {
        out.push_back(static_cast<char>(0x80 | 127));
        for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>((n >> shift) & 0xff));
    }
    out.append(reinterpret_cast<const char*>(mask_key), 4);
    const std::size_t at = out.size();
    out.append(text);
    for (std::size_t i = 0; i < n; ++i) out[at + i] = static_cast<char>(out[at + i] ^ mask_key[i & 3]);
}

}  // namespace

Load::Load() : epoll_(epoll_create1(EPOLL_CLOEXEC)), buffer_(256 * 1024)
{
    if (epoll_ < 0) throw std::runtime_error("epoll_create1 failed");
}

Load::~Load()
{
    for (Conn* c : conns_) {
        if (c->fd >= 0) ::close(c->fd);
        delete c;
    }
    ::close(epoll_);
}

Conn& Load::connect(unsigned short port, std::string first, int group, int index)
{
    auto* c = new Conn;
    conns_.push_back(c);
    c->group = group;
    c->index = index;
    c->first = std::move(first);
    c->connect_ns = now_ns();
    port_ = port;
    c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (c->fd < 0) {
        c->state = Conn::State::closed;
        if (listener.closed) listener.closed(*c);
        return *c;
    }
    int one = 1;
    setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(port);
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::connect(c->fd, reinterpret_cast<sockaddr*>(&to), sizeof to);  // EINPROGRESS: finished on EPOLLOUT
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLOUT;
    ev.data.ptr = c;
    epoll_ctl(epoll_, EPOLL_CTL_ADD, c->fd, &ev);
    ++connecting_;
    return *c;
}

void Load::send(Conn& c, std::string_view text)
{
    if (c.state != Conn::State::open) return;
    append_frame(c.out, text);
    if (!c.dirty) {
        c.dirty = true;
        dirty_.push_back(&c);
    }
}

void Load::close(Conn& c)
{
    if (c.fd < 0) return;
    if (c.state == Conn::State::connecting || c.state == Conn::State::upgrading) --connecting_;
    ::close(c.fd);  // leaves the epoll set with it
    c.fd = -1;
    c.state = Conn::State::closed;
    c.out.clear();
    c.in.clear();
}

void Load::want_write(Conn& c, bool on)
{
    epoll_event ev{};
    ev.events = EPOLLIN | (on ? EPOLLOUT : 0u);
    ev.data.ptr = &c;
    epoll_ctl(epoll_, EPOLL_CTL_MOD, c.fd, &ev);
}

void Load::flush(Conn& c)
{
    while (c.fd >= 0 && c.out_at < c.out.size()) {
        ++write_calls;
        ssize_t n = ::send(c.fd, c.out.data() + c.out_at, c.out.size() - c.out_at, MSG_NOSIGNAL);
        if (n > 0) {
            c.out_at += static_cast<std::size_t>(n);
        } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            want_write(c, true);  // the rest goes when the socket can take it
            return;
        } else {
            close(c);
            if (listener.closed) listener.closed(c);
            return;
        }
    }
    c.out.clear();
    c.out_at = 0;
}

void Load::flush_dirty()
{
    auto list = std::move(dirty_);
    dirty_.clear();
    for (Conn* c : list) {
        c->dirty = false;
        if (c->state == Conn::State::open) flush(*c);
    }
}

void Load::on_event(Conn& c, std::uint32_t events)
{
    if (c.state == Conn::State::connecting && (events & (EPOLLOUT | EPOLLERR | EPOLLHUP))) {
        int error = 0;
        socklen_t len = sizeof error;
        getsockopt(c.fd, SOL_SOCKET, SO_ERROR, &error, &len);
        if (error != 0) {
            close(c);
            if (listener.closed) listener.closed(c);
            return;
        }
        c.state = Conn::State::upgrading;
        c.out = "GET /ws HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port_) +
                "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                "Sec-WebSocket-Key: a2VoYS1iZW5jaC1rZXkxMg==\r\nSec-WebSocket-Version: 13\r\n\r\n";
        c.out_at = 0;
        want_write(c, false);
        flush(c);
        return;
    }
    if (events & EPOLLOUT) {
        want_write(c, false);
        flush(c);
    }
    if (c.fd >= 0 && (events & (EPOLLIN | EPOLLHUP | EPOLLERR))) on_readable(c);
}

void Load::on_readable(Conn& c)
{
    ++read_calls;
    ssize_t n = ::read(c.fd, buffer_.data(), buffer_.size());
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
    if (n <= 0) {
        close(c);
        if (listener.closed) listener.closed(c);
        return;
    }
    c.in.append(buffer_.data(), static_cast<std::size_t>(n));
    if (c.state == Conn::State::upgrading) take_upgrade(c);
    if (c.state == Conn::State::open) take_frames(c);
}

void Load::take_upgrade(Conn& c)
{
    auto end = c.in.find("\r\n\r\n");
    if (end == std::string::npos) return;
    if (c.in.compare(0, 12, "HTTP/1.1 101") != 0) {
        close(c);
        if (listener.closed) listener.closed(c);
        return;
    }
    c.in.erase(0, end + 4);
    c.state = Conn::State::open;
    --connecting_;
    c.hello_ns = now_ns();
    send(c, c.first);
}

void Load::take_frames(Conn& c)
{
    std::size_t at = 0;
    const auto* p = reinterpret_cast<const unsigned char*>(c.in.data());
    while (c.fd >= 0 && c.in.size() - at >= 2) {
        const bool fin = p[at] & 0x80;
        const unsigned opcode = p[at] & 0x0f;
        std::size_t len = p[at + 1] & 0x7f, head = 2;
        if (len == 126) {
            if (c.in.size() - at < 4) break;
            len = (std::size_t(p[at + 2]) << 8) | p[at + 3];
            head = 4;
        } else if (len == 127) {
            if (c.in.size() - at < 10) break;
            len = 0;
            for (int i = 0; i < 8; ++i) len = (len << 8) | p[at + 2 + i];
            head = 10;
        }
        if (c.in.size() - at < head + len) break;
        std::string_view payload(c.in.data() + at + head, len);
        at += head + len;
        if (opcode == 0x8) {  // close
            close(c);
            if (listener.closed) listener.closed(c);
            return;
        }
        if (opcode == 0x9) {  // ping: answer pong
            std::string copy(payload);
            append_frame(c.out, copy, 0xA);
            if (!c.dirty) c.dirty = true, dirty_.push_back(&c);
            continue;
        }
        if (opcode != 0x1 && opcode != 0x0) continue;
        if (!fin || !c.fragments.empty()) {
            c.fragments.append(payload);
            if (!fin) continue;
            ++messages;
            std::string whole = std::move(c.fragments);
            c.fragments.clear();
            if (listener.message) listener.message(c, whole);
            continue;
        }
        ++messages;
        if (listener.message) listener.message(c, payload);
    }
    if (c.fd >= 0) c.in.erase(0, at);
}

bool Load::run_until(const std::function<bool()>& done, std::int64_t deadline_ns, const std::function<void()>& tick,
                     int max_wait_ms)
{
    epoll_event events[512];
    while (!done()) {
        const std::int64_t now = now_ns();
        if (now >= deadline_ns) return false;
        if (tick) tick();
        flush_dirty();
        const int wait = static_cast<int>(std::min<std::int64_t>(max_wait_ms, (deadline_ns - now) / 1'000'000 + 1));
        const int n = epoll_wait(epoll_, events, 512, wait);
        for (int i = 0; i < n; ++i) {
            Conn& c = *static_cast<Conn*>(events[i].data.ptr);
            if (c.fd >= 0) on_event(c, events[i].events);
        }
        flush_dirty();
    }
    return true;
}

}  // namespace bench
