#include "core/files.hpp"

#include "core/errors.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace fiscpos::core {

namespace {

// Closes the descriptor it holds.
class FileDescriptor {
public:
    explicit FileDescriptor(int fd)
        : fd_(fd) {}
    ~FileDescriptor() {
        if (fd_ >= 0) {
            ::close(fd_);
        }
    }
    FileDescriptor(const FileDescriptor&) = delete;
    FileDescriptor& operator=(const FileDescriptor&) = delete;
    int get() const { return fd_; }

private:
    int fd_;
};

std::string describeKind(mode_t mode) {
    if (S_ISDIR(mode)) {
        return "a directory";
    }
    if (S_ISFIFO(mode)) {
        return "a pipe (FIFO)";
    }
    if (S_ISCHR(mode) || S_ISBLK(mode)) {
        return "a device";
    }
    if (S_ISSOCK(mode)) {
        return "a socket";
    }
    return "not a regular file";
}

} // namespace

std::string readBoundedFile(const std::filesystem::path& path, const std::string& field,
                            std::size_t maxBytes) {
    const std::string name = "\"" + path.string() + "\"";
    // O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused below.
    const FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC));
    if (fd.get() < 0) {
        const int error = errno;
        throw InputError(field, "cannot read " + name + ": " +
                                    (error == ENOENT ? std::string("no such file")
                                                     : std::string(std::strerror(error))));
    }
    struct stat info {};
    if (::fstat(fd.get(), &info) != 0) {
        throw InputError(field, "cannot read " + name + ": " + std::strerror(errno));
    }
    if (!S_ISREG(info.st_mode)) {
        throw InputError(field, name + " is " + describeKind(info.st_mode) + ", not a file");
    }
    if (static_cast<std::uintmax_t>(info.st_size) > maxBytes) {
        throw InputError(field, name + " is larger than " + std::to_string(maxBytes) + " bytes");
    }
    std::string text;
    char buffer[65536];
    for (;;) {
        const ssize_t got = ::read(fd.get(), buffer, sizeof buffer);
        if (got < 0) {
            if (errno == EINTR) {
                continue;
            }
            throw InputError(field, "cannot read " + name + ": " + std::strerror(errno));
        }
        if (got == 0) {
            break;
        }
        text.append(buffer, static_cast<std::size_t>(got));
        if (text.size() > maxBytes) { // the file grew while it was read
            throw InputError(field,
                             name + " is larger than " + std::to_string(maxBytes) + " bytes");
        }
    }
    return text;
}

void writePrivateFile(const std::filesystem::path& path, const std::string& text,
                      const std::string& field) {
    const std::string name = "\"" + path.string() + "\"";
    ::unlink(path.c_str()); // a new inode: an old file's wider mode never applies
    const FileDescriptor fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
    if (fd.get() < 0) {
        throw InputError(field, "cannot write " + name + ": " + std::strerror(errno));
    }
    std::size_t written = 0;
    while (written < text.size()) {
        const ssize_t n = ::write(fd.get(), text.data() + written, text.size() - written);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            throw InputError(field, "cannot write " + name + ": " + std::strerror(errno));
        }
        written += static_cast<std::size_t>(n);
    }
    if (::fsync(fd.get()) != 0) {
        throw InputError(field, "cannot write " + name + ": " + std::strerror(errno));
    }
}

} // namespace fiscpos::core
