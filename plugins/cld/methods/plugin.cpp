// The cld plugin's single entry point.
#include "methods/centrality_method.hpp"
#include "methods/export_method.hpp"
#include "methods/import_methods.hpp"
#include "methods/loops_method.hpp"
#include "methods/ltm_method.hpp"

#include <holon/plugin.hpp>

HOLON_PLUGIN("cld", "0.1.0", cld::methods::LoopsMethod, cld::methods::CentralityMethod, cld::methods::ExportMethod,
             cld::methods::ImportGraphmlMethod, cld::methods::ImportKumuMethod, cld::methods::LtmMethod)
