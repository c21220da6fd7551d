// `fiscpos serve` as a child process for the tests that meet it over loopback HTTP (the serve
// and browser suites): the real executable on a given configuration, its URL from its "listening
// on" line, its log lines as they come (awaited through a condition variable, never by sleeping).
#pragma once

#include "tests/support/process.hpp"

#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace fiscpos::test {

// How long serve may take to start or to log a line before the test gives up: a guard against
// hanging, not a timing that is asserted.
inline constexpr auto servePatience = std::chrono::seconds(60);

// `fiscpos serve` as a child process: its URL from the "listening on" line, its log lines as they
// come.
class ServeProcess {
public:
    ServeProcess(const std::filesystem::path& config, const std::string& listen = "127.0.0.1:0") {
        const std::vector<std::string> args{"--config", config.string(), "serve", "--listen",
                                            listen};
        handle_ = std::make_unique<Poco::ProcessHandle>(Poco::Process::launch(
            test::fiscposBinary().string(), args, std::filesystem::current_path().string(), nullptr,
            &outPipe_, &errPipe_, Poco::Process::Env{}));
        outReader_ = std::thread([this] { read(outPipe_, true); });
        errReader_ = std::thread([this] { read(errPipe_, false); });
        std::string failure;
        {
            std::unique_lock lock(mutex_);
            changed_.wait_for(lock, servePatience, [this] { return !url_.empty() || ended_ == 2; });
            if (url_.empty()) {
                failure = "fiscpos serve did not start:\n" + logText(lock);
            }
        }
        if (!failure.empty()) {
            end(); // a constructor that throws runs no destructor
            BOOST_TEST_REQUIRE(failure.empty(), failure);
        }
    }
    ~ServeProcess() { end(); }
    ServeProcess(const ServeProcess&) = delete;
    ServeProcess& operator=(const ServeProcess&) = delete;

    const std::string& url() const { return url_; }

    // Waits for a log line holding every one of `parts`; returns it (empty when none came).
    std::string awaitLine(const std::vector<std::string>& parts) {
        std::unique_lock lock(mutex_);
        std::string found;
        changed_.wait_for(lock, servePatience, [&] {
            found = findLine(parts);
            return !found.empty() || ended_ == 2;
        });
        BOOST_TEST(!found.empty(), "no log line with " + parts.front() + ":\n" + logText(lock));
        return found;
    }
    std::size_t countLines(const std::vector<std::string>& parts) {
        std::lock_guard lock(mutex_);
        return static_cast<std::size_t>(
            std::count_if(lines_.begin(), lines_.end(),
                          [&](const std::string& line) { return all(line, parts); }));
    }
    std::string log() {
        std::unique_lock lock(mutex_);
        return logText(lock);
    }

    void signal(int number) const { ::kill(handle_->id(), number); }
    // Waits for the process to end; returns its exit status.
    int wait() {
        const int status = handle_->wait();
        handle_.reset();
        return status;
    }
    // SIGTERM; returns the exit status.
    int terminate() {
        signal(SIGTERM);
        return wait();
    }

private:
    // Kills the process if it still runs and waits for the readers.
    void end() {
        if (handle_) {
            ::kill(handle_->id(), SIGKILL);
            handle_->wait();
            handle_.reset();
        }
        if (outReader_.joinable()) {
            outReader_.join();
        }
        if (errReader_.joinable()) {
            errReader_.join();
        }
    }
    static bool all(const std::string& line, const std::vector<std::string>& parts) {
        return std::all_of(parts.begin(), parts.end(), [&](const std::string& part) {
            return line.find(part) != std::string::npos;
        });
    }
    std::string findLine(const std::vector<std::string>& parts) const {
        for (const auto& line : lines_) {
            if (all(line, parts)) {
                return line;
            }
        }
        return {};
    }
    std::string logText(std::unique_lock<std::mutex>&) const {
        std::string text;
        for (const auto& line : lines_) {
            text += line + "\n";
        }
        return text;
    }
    void read(Poco::Pipe& pipe, bool out) {
        Poco::PipeInputStream stream(pipe);
        std::string line;
        while (std::getline(stream, line)) {
            std::lock_guard lock(mutex_);
            constexpr std::string_view ready = "fiscpos serve listening on ";
            if (out && line.starts_with(ready)) {
                url_ = line.substr(ready.size());
            }
            lines_.push_back(line);
            changed_.notify_all();
        }
        std::lock_guard lock(mutex_);
        ++ended_;
        changed_.notify_all();
    }

    Poco::Pipe outPipe_;
    Poco::Pipe errPipe_;
    std::unique_ptr<Poco::ProcessHandle> handle_;
    std::mutex mutex_;
    std::condition_variable changed_;
    std::vector<std::string> lines_;
    std::string url_;
    int ended_ = 0;
    std::thread outReader_;
    std::thread errReader_;
};

} // namespace fiscpos::test
