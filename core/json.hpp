// The JSON type every layer uses: insertion-ordered, so documents print in schema order.
#pragma once

#include <nlohmann/json.hpp>

namespace csctl {
using Json = nlohmann::ordered_json;
}
