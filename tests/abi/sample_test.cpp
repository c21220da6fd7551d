// The samples an ERP developer starts from: samples/c/pay.c (built as samples/pay) and
// samples/python/pay.py (ctypes), each taking a payment through libfiscpos and the simulator.
#include "core/json.hpp"
#include "tests/abi/abi_world.hpp"
#include "tests/support/process.hpp"

#include <boost/test/unit_test.hpp>
#include <cstdlib>

using namespace fiscpos;

namespace {

std::string environment(const char* name) {
    const char* value = std::getenv(name);
    BOOST_TEST_REQUIRE(value != nullptr, name << " is not set (run through ctest)");
    return value;
}

void checkApproved(const test::ProcessResult& result, const std::string& tid) {
    BOOST_TEST_REQUIRE(result.exitCode == 0, result.out + result.err);
    const auto entry = core::parseJson(result.out, "sample output", core::JsonOrigin::Response);
    BOOST_TEST(entry["ok"].get<bool>());
    BOOST_TEST(entry["state"].get<std::string>() == "APPROVED");
    BOOST_TEST(entry["tid"].get<std::string>() == tid);
    BOOST_TEST(result.err.find("signed: ") != std::string::npos, result.err); // progress
}

} // namespace

BOOST_AUTO_TEST_SUITE(samples)

BOOST_AUTO_TEST_CASE(the_c_sample_pays) {
    test::AbiWorld world("abi-sample-c");
    const auto result =
        test::runProcess(environment("FISCPOS_C_SAMPLE"),
                         {world.config.string(), "A3", world.invoice.string(), "sample-c"});
    checkApproved(result, "99000031");
    const auto refused = test::runProcess(environment("FISCPOS_C_SAMPLE"),
                                          {world.config.string(), "Z9", world.invoice.string()});
    BOOST_TEST(refused.exitCode == 1);
    BOOST_TEST(refused.out.find("\"field\":\"terminal\"") != std::string::npos, refused.out);
}

BOOST_AUTO_TEST_CASE(the_python_sample_pays) {
    test::AbiWorld world("abi-sample-python");
    const auto script = test::sourceDir() / "samples" / "python" / "pay.py";
    const auto result = test::runProcess("python3", {script.string(), world.config.string(), "A4",
                                                     world.invoice.string(), "sample-python",
                                                     "--lib", environment("FISCPOS_LIB")});
    checkApproved(result, "99000032");
    const auto refused = test::runProcess(
        "python3", {script.string(), world.config.string(), "Z9", world.invoice.string()},
        {{"FISCPOS_LIB", environment("FISCPOS_LIB")}});
    BOOST_TEST(refused.exitCode == 1);
    BOOST_TEST(refused.out.find("\"terminal\"") != std::string::npos, refused.out);
}

BOOST_AUTO_TEST_SUITE_END()
