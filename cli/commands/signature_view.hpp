// How the CLI shows a provider signature to people and in --json.
#pragma once

#include "cli/output.hpp"
#include "signing/signature.hpp"

namespace fiscpos::cli {

void showSignature(Output& out, const signing::ProviderSignature& signature);
core::Json signatureJson(const signing::ProviderSignature& signature);

} // namespace fiscpos::cli
