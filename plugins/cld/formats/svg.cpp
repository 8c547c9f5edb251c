#include "formats/svg.hpp"

#include <graphviz/gvc.h>
#include <graphviz/gvplugin.h>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

// The two Graphviz plugins we use are linked in, so rendering needs neither the plugin config file
// nor dlopen at run time (runners may be sandboxed).
extern "C" {
extern gvplugin_library_t gvplugin_dot_layout_LTX_library;
extern gvplugin_library_t gvplugin_core_LTX_library;
}

namespace holon_cld {
namespace {

std::mutex graphviz_mutex;
std::string graphviz_errors;

int collect_error(char *message) {
    graphviz_errors += message;
    return 0;
}

// One context per render, freed after it: Graphviz keeps per-context state that a long-lived
// context would hold for the life of the process.
struct ContextCloser {
    void operator()(GVC_t *gvc) const { gvFreeContext(gvc); }
};

std::unique_ptr<GVC_t, ContextCloser> make_context() {
    static lt_symlist_t builtins[] = {{"gvplugin_dot_layout_LTX_library", &gvplugin_dot_layout_LTX_library},
                                      {"gvplugin_core_LTX_library", &gvplugin_core_LTX_library},
                                      {nullptr, nullptr}};
    return std::unique_ptr<GVC_t, ContextCloser>(gvContextPlugins(builtins, 0));
}

struct GraphCloser {
    void operator()(Agraph_t *g) const { agclose(g); }
};

std::vector<std::string> render(std::string_view dot, const std::vector<const char *> &formats) {
    std::lock_guard<std::mutex> lock(graphviz_mutex);
    graphviz_errors.clear();
    agseterr(AGERR);
    agseterrf(&collect_error);
    const auto context = make_context();
    GVC_t *gvc = context.get();
    if (!gvc) throw RenderError("Graphviz could not start");
    const std::string text(dot);
    std::unique_ptr<Agraph_t, GraphCloser> graph(agmemread(text.c_str()));
    if (!graph) throw RenderError("Graphviz could not read the DOT graph: " + graphviz_errors);
    if (gvLayout(gvc, graph.get(), "dot") != 0) throw RenderError("Graphviz layout failed: " + graphviz_errors);
    std::vector<std::string> outputs;
    int rc = 0;
    for (const char *format : formats) {
        char *data = nullptr;
        unsigned int length = 0;
        rc = gvRenderData(gvc, graph.get(), format, &data, &length);
        outputs.push_back(rc == 0 && data ? std::string(data, length) : std::string());
        if (data) gvFreeRenderData(data);
        if (rc != 0) break;
    }
    gvFreeLayout(gvc, graph.get());
    if (rc != 0) throw RenderError("Graphviz rendering failed: " + graphviz_errors);
    return outputs;
}

} // namespace

std::string render_svg(std::string_view dot) { return render(dot, {"svg"}).front(); }

RenderedGraph render_with_layout(std::string_view dot) {
    auto outputs = render(dot, {"svg", "json0"});
    return {std::move(outputs[0]), std::move(outputs[1])};
}

} // namespace holon_cld
