#include "test_graphs.hpp"

#include <cstdio>
#include <utility>
#include <vector>

namespace holon_cld::testing {

CausalGraph complete_digraph(std::size_t n) {
    CausalGraph g;
    auto name = [](std::size_t i) {
        char buffer[32];
        std::snprintf(buffer, sizeof buffer, "v%02zu", i);
        return std::string(buffer);
    };
    for (std::size_t i = 0; i < n; ++i) g.add_variable({name(i), name(i), "aux"});
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < n; ++j)
            if (i != j) g.add_link(name(i) + "-" + name(j), name(i), name(j), Polarity::positive);
    return g;
}

CausalGraph yeast_alcohol() {
    CausalGraph g;
    g.add_variable({"cells", "Yeast cells", "stock"});
    g.add_variable({"alcohol", "Alcohol", "stock"});
    g.add_variable({"births", "Births", "flow"});
    g.add_variable({"deaths", "Deaths", "flow"});
    g.add_link("cells-births", "cells", "births", Polarity::positive);
    g.add_link("births-cells", "births", "cells", Polarity::positive);
    g.add_link("cells-deaths", "cells", "deaths", Polarity::positive);
    g.add_link("deaths-cells", "deaths", "cells", Polarity::negative);
    g.add_link("cells-alcohol", "cells", "alcohol", Polarity::positive, true);
    g.add_link("alcohol-births", "alcohol", "births", Polarity::negative);
    g.add_link("alcohol-deaths", "alcohol", "deaths", Polarity::positive);
    return g;
}

std::string yeast_alcohol_model_json() {
    return R"({
  "format": "holon-model/1",
  "id": "yeast-alcohol",
  "name": "Yeast and alcohol",
  "variables": [
    {"id": "cells", "name": "Yeast cells", "kind": "stock"},
    {"id": "alcohol", "name": "Alcohol", "kind": "stock"},
    {"id": "births", "name": "Births", "kind": "flow"},
    {"id": "deaths", "name": "Deaths", "kind": "flow"}
  ],
  "links": [
    {"id": "cells-births", "from": "cells", "to": "births", "polarity": "+"},
    {"id": "births-cells", "from": "births", "to": "cells", "polarity": "+"},
    {"id": "cells-deaths", "from": "cells", "to": "deaths", "polarity": "+"},
    {"id": "deaths-cells", "from": "deaths", "to": "cells", "polarity": "-"},
    {"id": "cells-alcohol", "from": "cells", "to": "alcohol", "polarity": "+", "delay": true},
    {"id": "alcohol-births", "from": "alcohol", "to": "births", "polarity": "-"},
    {"id": "alcohol-deaths", "from": "alcohol", "to": "deaths", "polarity": "+"}
  ]
})";
}

CausalGraph florentine_families() {
    const char *families[] = {"Acciaiuoli", "Albizzi",  "Barbadori", "Bischeri",    "Castellani",
                              "Ginori",     "Guadagni", "Lamberteschi", "Medici",    "Pazzi",
                              "Peruzzi",    "Ridolfi",  "Salviati",  "Strozzi",      "Tornabuoni"};
    const std::vector<std::pair<const char *, const char *>> ties{
        {"Acciaiuoli", "Medici"},   {"Castellani", "Peruzzi"},  {"Castellani", "Strozzi"},  {"Castellani", "Barbadori"},
        {"Medici", "Barbadori"},    {"Medici", "Ridolfi"},      {"Medici", "Tornabuoni"},   {"Medici", "Albizzi"},
        {"Medici", "Salviati"},     {"Salviati", "Pazzi"},      {"Peruzzi", "Strozzi"},     {"Peruzzi", "Bischeri"},
        {"Strozzi", "Ridolfi"},     {"Strozzi", "Bischeri"},    {"Ridolfi", "Tornabuoni"},  {"Tornabuoni", "Guadagni"},
        {"Albizzi", "Ginori"},      {"Albizzi", "Guadagni"},    {"Bischeri", "Guadagni"},   {"Guadagni", "Lamberteschi"}};
    CausalGraph g;
    for (const char *f : families) g.add_variable({f, f, ""});
    for (const auto &[a, b] : ties) g.add_link(std::string(a) + "-" + b, a, b, Polarity::unknown);
    return g;
}

} // namespace holon_cld::testing
