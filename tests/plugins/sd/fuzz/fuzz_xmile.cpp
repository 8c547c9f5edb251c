// libFuzzer target: any bytes through the XMILE reader, then the compiler and a short run.
// Properties checked: only ModelError escapes read_xmile, compile and run (no crash, no other
// exception, no sanitizer report), whatever the document.
#include "compile/compiler.hpp"
#include "ir/error.hpp"
#include "vm/simulator.hpp"
#include "xmile/reader.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char *>(data), size);
    try {
        holon_sd::Model model = holon_sd::read_xmile(text);
        holon_sd::Program program = holon_sd::compile(model);
        holon_sd::RunSettings settings;
        // Keep runs short: the point is the program, not long simulations.
        double span = (program.sim_specs.stop - program.sim_specs.start) / program.sim_specs.dt;
        if (span >= 0 && span <= 200 && program.initial_slots.size() < 100000) {
            holon_sd::Simulator sim(program);
            sim.run(settings);
        }
    } catch (const holon_sd::ModelError &) {
    }
    return 0;
}
