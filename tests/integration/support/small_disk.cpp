#include "support/small_disk.hpp"

#include <fcntl.h>
#include <sys/mount.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>

namespace keha::itest {
namespace fs = std::filesystem;

Small_disk::Small_disk(fs::path dir, const char* size) : dir_(std::move(dir))
{
    fs::create_directories(dir_);
    const std::string options = std::string("size=") + size;
    if (::mount("tmpfs", dir_.c_str(), "tmpfs", 0, options.c_str()) != 0)
        throw std::runtime_error("mount -t tmpfs on " + dir_.string() + " failed: " + std::strerror(errno));
}

Small_disk::~Small_disk() { ::umount2(dir_.c_str(), MNT_DETACH); }

void Small_disk::fill()
{
    const int fd = ::open((dir_ / "filler").c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) throw std::runtime_error("cannot create the filler file");
    std::string chunk(64 * 1024, 'x');
    std::size_t chunk_size = chunk.size();
    for (;;) {
        const ssize_t n = ::write(fd, chunk.data(), chunk_size);
        if (n > 0) continue;
        if (n < 0 && errno == ENOSPC && chunk_size > 1) {
            chunk_size /= 2;  // fill the last pages too
            continue;
        }
        break;
    }
    const int error = errno;
    ::close(fd);
    if (error != ENOSPC) throw std::runtime_error(std::string("filling the disk ended with ") + std::strerror(error));
}

void Small_disk::free_space() { fs::remove(dir_ / "filler"); }

}  // namespace keha::itest
