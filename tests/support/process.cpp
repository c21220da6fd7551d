#include "tests/support/process.hpp"

#include "tests/support/shared_dir.hpp"

#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>
#include <Poco/StreamCopier.h>

#include <future>

namespace fiscpos::test {

ProcessResult runProcess(const std::filesystem::path& program, const std::vector<std::string>& args,
                         const std::map<std::string, std::string>& environment) {
    Poco::Pipe outPipe;
    Poco::Pipe errPipe;
    Poco::Process::Env env(environment.begin(), environment.end());
    Poco::ProcessHandle handle =
        Poco::Process::launch(program.string(), args, std::filesystem::current_path().string(),
                              nullptr, &outPipe, &errPipe, env);
    Poco::PipeInputStream outStream(outPipe);
    Poco::PipeInputStream errStream(errPipe);
    // Read both pipes at once so that a chatty child never blocks on a full pipe.
    auto err = std::async(std::launch::async, [&] {
        std::string text;
        Poco::StreamCopier::copyToString(errStream, text);
        return text;
    });
    ProcessResult result;
    Poco::StreamCopier::copyToString(outStream, result.out);
    result.err = err.get();
    result.exitCode = handle.wait();
    return result;
}

std::filesystem::path fiscposBinary() {
    return binaryDir() / "cli" / "fiscpos";
}

} // namespace fiscpos::test
