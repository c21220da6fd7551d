#include "tests/browser/headless_browser.hpp"

#include <Poco/Base64Decoder.h>
#include <Poco/Buffer.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/URI.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <unistd.h>

namespace fiscpos::test {

namespace {

// A guard against a browser that hangs, not a timing under test.
constexpr auto patience = std::chrono::seconds(60);

std::string quoted(const std::string& text) {
    std::string out = "'";
    for (const char c : text) {
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    }
    return out + "'";
}

std::string readFile(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

} // namespace

std::optional<std::filesystem::path> HeadlessBrowser::find() {
    if (const char* configured = std::getenv("FISCPOS_CHROMIUM"); configured && *configured) {
        return std::filesystem::path(configured);
    }
    const char* path = std::getenv("PATH");
    std::istringstream dirs(path ? path : "/usr/bin");
    std::string dir;
    while (std::getline(dirs, dir, ':')) {
        const auto candidate = std::filesystem::path(dir) / "chromium";
        if (!dir.empty() && ::access(candidate.c_str(), X_OK) == 0) {
            return candidate;
        }
    }
    return std::nullopt;
}

HeadlessBrowser::HeadlessBrowser(const std::filesystem::path& profile)
    : profile_(profile) {
    const auto binary = find();
    if (!binary) {
        throw std::runtime_error("no chromium on the PATH (Debian package chromium)");
    }
    std::filesystem::create_directories(profile_);
    // As root (CI) Chromium runs only without its sandbox; the pages it opens are ours.
    const std::string command = "exec " + quoted(binary->string()) +
                                " --headless --no-sandbox --disable-gpu --no-first-run"
                                " --no-default-browser-check --disable-extensions"
                                " --disable-background-networking --disable-sync"
                                " --password-store=basic --use-mock-keychain --lang=el-GR"
                                " --remote-debugging-address=127.0.0.1"
                                " --remote-debugging-port=0 --user-data-dir=" +
                                quoted(profile_.string()) + " about:blank > " +
                                quoted((profile_ / "chromium.log").string()) + " 2>&1";
    process_ =
        std::make_unique<Poco::ProcessHandle>(Poco::Process::launch("/bin/sh", {"-c", command}));

    // Chromium writes its DevTools port into the profile once it listens.
    const auto portFile = profile_ / "DevToolsActivePort";
    const auto deadline = std::chrono::steady_clock::now() + patience;
    std::string port;
    while (port.empty()) {
        std::istringstream lines(readFile(portFile));
        std::getline(lines, port);
        if (!port.empty()) {
            break;
        }
        if (!Poco::Process::isRunning(*process_)) {
            throw std::runtime_error("chromium ended before it listened:\n" +
                                     readFile(profile_ / "chromium.log"));
        }
        if (std::chrono::steady_clock::now() > deadline) {
            throw std::runtime_error("chromium did not listen within 60 s");
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }

    // Its page target, then a WebSocket to it.
    session_ = std::make_unique<Poco::Net::HTTPClientSession>(
        "127.0.0.1", static_cast<Poco::UInt16>(std::stoi(port)));
    Poco::Net::HTTPRequest list(Poco::Net::HTTPRequest::HTTP_GET, "/json/list",
                                Poco::Net::HTTPRequest::HTTP_1_1);
    session_->sendRequest(list);
    Poco::Net::HTTPResponse listed;
    std::ostringstream body;
    body << session_->receiveResponse(listed).rdbuf();
    std::string pagePath;
    for (const auto& target : core::Json::parse(body.str())) {
        if (target.value("type", "") == "page") {
            pagePath = Poco::URI(target.at("webSocketDebuggerUrl").get<std::string>()).getPath();
            break;
        }
    }
    if (pagePath.empty()) {
        throw std::runtime_error("chromium shows no page: " + body.str());
    }
    session_ = std::make_unique<Poco::Net::HTTPClientSession>(
        "127.0.0.1", static_cast<Poco::UInt16>(std::stoi(port)));
    Poco::Net::HTTPRequest upgrade(Poco::Net::HTTPRequest::HTTP_GET, pagePath,
                                   Poco::Net::HTTPRequest::HTTP_1_1);
    Poco::Net::HTTPResponse upgraded;
    socket_ = std::make_unique<Poco::Net::WebSocket>(*session_, upgrade, upgraded);
    socket_->setReceiveTimeout(Poco::Timespan(patience.count(), 0));
    call("Page.enable");
    call("Network.enable");
}

HeadlessBrowser::~HeadlessBrowser() {
    try {
        if (socket_) {
            socket_->close();
        }
    } catch (...) {
        // the browser is killed below either way
    }
    if (process_) {
        try {
            Poco::Process::kill(*process_);
            process_->wait();
        } catch (...) {
            // gone already
        }
    }
}

core::Json HeadlessBrowser::receive() {
    Poco::Buffer<char> buffer(0);
    int flags = 0;
    const int size = socket_->receiveFrame(buffer, flags);
    if (size <= 0 ||
        (flags & Poco::Net::WebSocket::FRAME_OP_BITMASK) == Poco::Net::WebSocket::FRAME_OP_CLOSE) {
        throw std::runtime_error("chromium closed the DevTools connection");
    }
    return core::Json::parse(std::string(buffer.begin(), static_cast<std::size_t>(size)));
}

core::Json HeadlessBrowser::call(const std::string& method, const core::Json& params) {
    const long id = nextId_++;
    const std::string message =
        core::Json{{"id", id}, {"method", method}, {"params", params}}.dump();
    socket_->sendFrame(message.data(), static_cast<int>(message.size()),
                       Poco::Net::WebSocket::FRAME_TEXT);
    while (true) {
        core::Json answer = receive();
        if (answer.contains("id") && answer["id"] == id) {
            if (answer.contains("error")) {
                throw std::runtime_error(method + ": " + answer["error"].dump());
            }
            return answer.value("result", core::Json::object());
        }
        if (answer.contains("method")) {
            events_.push_back(std::move(answer));
        }
    }
}

core::Json HeadlessBrowser::awaitEvent(const std::string& method) {
    while (true) {
        while (!events_.empty()) {
            core::Json event = std::move(events_.front());
            events_.pop_front();
            if (event["method"] == method) {
                return event;
            }
        }
        core::Json message = receive();
        if (message.contains("method")) {
            events_.push_back(std::move(message));
        }
    }
}

int HeadlessBrowser::awaitDocument() {
    int status = 0;
    while (true) {
        while (!events_.empty()) {
            core::Json event = std::move(events_.front());
            events_.pop_front();
            const std::string method = event["method"];
            if (method == "Network.responseReceived" &&
                event["params"].value("type", "") == "Document") {
                status = event["params"]["response"].value("status", 0);
            } else if (method == "Page.loadEventFired") {
                return status;
            }
        }
        core::Json message = receive();
        if (message.contains("method")) {
            events_.push_back(std::move(message));
        }
    }
}

void HeadlessBrowser::window(int width, int height, bool mobile) {
    call("Emulation.setDeviceMetricsOverride",
         {{"width", width}, {"height", height}, {"deviceScaleFactor", 1}, {"mobile", mobile}});
}

void HeadlessBrowser::header(const std::string& name, const std::string& value) {
    call("Network.setExtraHTTPHeaders", {{"headers", {{name, value}}}});
}

int HeadlessBrowser::open(const std::string& url) {
    events_.clear();
    const core::Json result = call("Page.navigate", {{"url", url}});
    if (result.contains("errorText")) {
        throw std::runtime_error("cannot open " + url + ": " + result["errorText"].dump());
    }
    return awaitDocument();
}

int HeadlessBrowser::follow(const std::string& script) {
    events_.clear();
    evaluate(script);
    return awaitDocument();
}

core::Json HeadlessBrowser::evaluate(const std::string& expression) {
    const core::Json result =
        call("Runtime.evaluate",
             {{"expression", expression}, {"returnByValue", true}, {"awaitPromise", true}});
    if (result.contains("exceptionDetails")) {
        throw std::runtime_error("script failed: " + expression + "\n" +
                                 result["exceptionDetails"].dump());
    }
    return result["result"].value("value", core::Json());
}

void HeadlessBrowser::screenshot(const std::filesystem::path& png) {
    const core::Json shot =
        call("Page.captureScreenshot", {{"format", "png"}, {"captureBeyondViewport", true}});
    std::istringstream encoded(shot.at("data").get<std::string>());
    Poco::Base64Decoder decoder(encoded);
    std::filesystem::create_directories(png.parent_path());
    std::ofstream out(png, std::ios::binary);
    out << decoder.rdbuf();
}

} // namespace fiscpos::test
