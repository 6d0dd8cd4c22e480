#pragma once
#include <nlohmann/json.hpp>

namespace keha {
using json = nlohmann::json;
}
