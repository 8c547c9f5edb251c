#include "methods/methods.hpp"

HOLON_PLUGIN("sd", "0.1.0", holon::sd::SimulateMethod, holon::sd::ImportXmileMethod, holon::sd::ImportMdlMethod,
             holon::sd::ExportXmileMethod,
             holon::sd::StructureMethod, holon::sd::CheckUnitsMethod, holon::sd::LinkScoresMethod)
