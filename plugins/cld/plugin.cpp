// The cld plugin's single entry point.
#include "methods/centrality_method.hpp"
#include "methods/export_method.hpp"
#include "methods/import_methods.hpp"
#include "methods/loops_method.hpp"
#include "methods/ltm_method.hpp"

#include <holon/plugin.hpp>

HOLON_PLUGIN("cld", "0.1.0", holon_cld::methods::LoopsMethod, holon_cld::methods::CentralityMethod, holon_cld::methods::ExportMethod,
             holon_cld::methods::ImportGraphmlMethod, holon_cld::methods::ImportKumuMethod, holon_cld::methods::LtmMethod)
