#include "template_choice.hpp"

namespace keha::desk {

std::size_t default_template_index(const json& templates)
{
    if (!templates.is_array()) return 0;
    for (std::size_t i = 0; i < templates.size(); ++i)
        if (templates[i].is_object()) {
            auto d = templates[i].find("default");
            if (d != templates[i].end() && d->is_boolean() && d->get<bool>()) return i;
        }
    return 0;
}

}  // namespace keha::desk
