// The sd plugin: its methods, nothing else (each in methods/<name>.hpp/.cpp).
#include "methods/check.hpp"
#include "methods/check_units.hpp"
#include "methods/export_xmile.hpp"
#include "methods/import_mdl.hpp"
#include "methods/import_xmile.hpp"
#include "methods/link_scores.hpp"
#include "methods/simulate.hpp"
#include "methods/structure.hpp"

HOLON_PLUGIN("sd", "0.1.0", holon_sd::SimulateMethod, holon_sd::ImportXmileMethod, holon_sd::ImportMdlMethod,
             holon_sd::ExportXmileMethod, holon_sd::StructureMethod, holon_sd::CheckUnitsMethod,
             holon_sd::LinkScoresMethod, holon_sd::CheckMethod)
