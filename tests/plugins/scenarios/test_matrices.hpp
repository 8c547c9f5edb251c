// The published CIB matrices of methods.md §6.3 (T-CIB-1 Somewhereland, T-CIB-2 CIB_global).
#pragma once

#include "cib/matrix.hpp"

#include <string>
#include <vector>

namespace holon_scenarios::test {

cib::Matrix somewhereland();
cib::Matrix cib_global();
// "A2 B1 C3" style labels: descriptor letter(s) + 1-based variant.
cib::Scenario parse_somewhereland(const std::string &text);
std::string somewhereland_label(const cib::Scenario &s);
// "Ntl/Alrt/Stag" style labels of CIB_global.
std::string cib_global_label(const cib::Scenario &s);

} // namespace holon_scenarios::test
