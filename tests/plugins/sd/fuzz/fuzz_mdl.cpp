// libFuzzer target: any bytes through the Vensim .mdl reader, then the compiler and a short run.
// Properties checked: only ModelError escapes read_mdl, compile and run (no crash, no other
// exception, no sanitizer report), whatever the text. No data folder is given, so GET XLS/DIRECT
// calls fail as ModelError without touching the file system.
#include "compile/compiler.hpp"
#include "ir/error.hpp"
#include "mdl/reader.hpp"
#include "vm/simulator.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char *>(data), size);
    try {
        holon_sd::Model model = holon_sd::read_mdl(text, {});
        holon_sd::Program program = holon_sd::compile(model);
        double span = (program.sim_specs.stop - program.sim_specs.start) / program.sim_specs.dt;
        if (span >= 0 && span <= 200 && program.initial_slots.size() < 100000) {
            holon_sd::Simulator sim(program);
            sim.run({});
        }
    } catch (const holon_sd::ModelError &) {
    }
    return 0;
}
