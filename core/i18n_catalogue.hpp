// The compiled Greek catalogue (po/el.po through msgfmt), linked in by core/CMakeLists.txt.
#pragma once

#include <string_view>

namespace fiscpos::core::i18n_detail {

// The bytes of el.mo.
std::string_view greekMo();

} // namespace fiscpos::core::i18n_detail
