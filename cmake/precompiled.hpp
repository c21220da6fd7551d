// The headers most of fiscpos's translation units include, parsed once per target instead of once
// per file when FISCPOS_PCH is on (CI's sanitizer builds; cmake/Precompiled.cmake). Only headers
// whose meaning no file changes with a macro of its own.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include <Poco/Exception.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
