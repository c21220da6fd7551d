#pragma once

#include "cli/command.hpp"

#include <memory>

namespace fiscpos::cli {

std::unique_ptr<Command> makeVerifySignatureCommand();
std::unique_ptr<Command> makeSignCommand();
std::unique_ptr<Command> makeDemoCommand();

} // namespace fiscpos::cli
