// Reads a Vensim .mdl model into the model IR (the same IR the XMILE reader produces), so the
// compiler, the engine, the XMILE writer and the shared-model mapping work on it unchanged.
// Vensim functions are translated into the IR's equation language (see docs/methods/sd.md,
// "Bringing a Vensim model"); external data (GET XLS/DIRECT ...) is read at import time from
// `source_dir` and kept in the IR as constants and graphical functions.
#pragma once

#include "ir/model.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace holon_sd {

struct MdlOptions {
    std::string source_dir;  // where data files named by GET XLS/DIRECT ... are looked up
    std::string source_name; // the file name, for messages ("model.mdl:12: ...")
    // .tab/.csv files (relative to source_dir) holding the series of data variables that have no
    // equation (what Vensim reads from a .vdf); the first file with the variable's column wins.
    std::vector<std::string> data_files = {};
};

// Throws ModelError whose message is one line "file:line: problem" (or names the variable).
Model read_mdl(std::string_view text, const MdlOptions &options = {});

} // namespace holon_sd
