#pragma once
// A small tmpfs of its own, so a test can fill a disk without touching the machine's. Only
// root may mount one (CI runs the tests as root).
#include <filesystem>

namespace keha::itest {

class Small_disk {
public:
    // Mounts a tmpfs of `size` ("6m") on `dir`; throws when it cannot.
    Small_disk(std::filesystem::path dir, const char* size);
    ~Small_disk();
    Small_disk(const Small_disk&) = delete;
    Small_disk& operator=(const Small_disk&) = delete;
    const std::filesystem::path& path() const { return dir_; }

    // Writes a file until the disk says it is full.
    void fill();
    void free_space();

private:
    std::filesystem::path dir_;
};

}  // namespace keha::itest
